/**
 * The account's collaborative notes. What the person types is saved a moment after they
 * pause, as an edit of the text they started from (with the heads it was read at), so
 * only their characters change and words others wrote meanwhile stay. While they are not
 * typing, the notes follow the record as syncs bring changes.
 */

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { errorMessage, type RecordView } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";

const PAUSE_MS = 700;

function notesOf(record: RecordView): string {
  const n = record.fields.notes;
  return typeof n === "string" ? n : "";
}

export function Notes({ account }: { account: RecordView }) {
  const { t } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const [text, setText] = useState(() => notesOf(account));
  // Where the text being edited started: the notes and the heads they were read at.
  const origin = useRef({ base: notesOf(account), heads: account.heads ?? [] });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef(text);
  latest.current = text;
  // One save at a time: each starts where the one before left the text.
  const inFlight = useRef(false);
  const again = useRef(false);

  const save = useMutation({
    mutationFn: (typed: string) => {
      inFlight.current = true;
      return api.editNotes(account.id, origin.current.heads, origin.current.base, typed);
    },
    onSettled: () => {
      inFlight.current = false;
      if (again.current) {
        again.current = false;
        flush();
      }
    },
    onSuccess: (saved, typed) => {
      queries.setQueryData(queryKeys.record(account.id), saved.record);
      if (latest.current === typed) {
        // Nothing typed since: show the notes as they now are (with others' words).
        const merged = notesOf(saved.record);
        origin.current = { base: merged, heads: saved.record.heads ?? [] };
        setText(merged);
      } else {
        origin.current = { base: typed, heads: saved.heads };
      }
    },
  });

  // Changes from elsewhere arrive while the person is not typing: take them.
  const incoming = notesOf(account);
  const dirty = text !== origin.current.base || save.isPending || timer.current !== undefined;
  useEffect(() => {
    if (!dirty && incoming !== origin.current.base) {
      origin.current = { base: incoming, heads: account.heads ?? [] };
      setText(incoming);
    }
  }, [incoming, account.heads, dirty]);

  useEffect(() => () => clearTimeout(timer.current), []);

  function flush() {
    if (inFlight.current) {
      again.current = true;
    } else if (latest.current !== origin.current.base) {
      save.mutate(latest.current);
    }
  }

  const onChange = (value: string) => {
    setText(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = undefined;
      flush();
    }, PAUSE_MS);
  };

  const status = save.isPending
    ? t("notes.saving")
    : save.isError
      ? null
      : text === origin.current.base && save.isSuccess
        ? t("notes.saved")
        : "";
  return (
    <section className="panel notes" aria-labelledby="notes-title">
      <div className="panel-head">
        <h2 id="notes-title">{t("field.notes")}</h2>
        <span className="muted notes-status" role="status" data-testid="notes-status">
          {status}
        </span>
      </div>
      <textarea
        name="notes"
        aria-labelledby="notes-title"
        value={text}
        rows={6}
        onChange={(e) => onChange(e.target.value)}
        placeholder={t("notes.placeholder")}
      />
      {save.isError && (
        <p className="error" role="alert">
          {errorMessage(save.error)}
        </p>
      )}
    </section>
  );
}

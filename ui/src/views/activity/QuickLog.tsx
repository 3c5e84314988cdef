/**
 * Logging an activity in a few keystrokes from anywhere: Ctrl-L (Cmd-L on a Mac) or a "Log
 * activity" button opens this dialog with the subject focused and the account of the page
 * already chosen; type, Enter, done. The kind (visit, call, ...), the contact and the deal
 * of that account are one choice each; Ctrl-Enter saves from the notes field.
 */

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import { errorMessage, type FieldValues, listQuery } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { choiceLabel } from "../records/labels";
import { useSchema } from "../records/schema";

const OPEN_EVENT = "fieldbook:log-activity";

interface Opening {
  account: string | null;
  deal: string | null;
}

/** Opens the dialog (for `accountId`, or the account of the page shown; with a deal chosen). */
export function openQuickLog(accountId?: string, dealId?: string) {
  const detail: Opening = { account: accountId ?? null, deal: dealId ?? null };
  window.dispatchEvent(new CustomEvent(OPEN_EVENT, { detail }));
}

function AccountPicker({ value, onChange }: { value: string | null; onChange: (id: string | null) => void }) {
  const { t } = useI18n();
  const api = useApi();
  const [text, setText] = useState("");
  const chosen = useQuery({
    queryKey: queryKeys.record(value ?? ""),
    queryFn: () => api.getRecord(value ?? ""),
    enabled: value !== null,
  });
  const found = useQuery({
    queryKey: queryKeys.list("account", { search: text, limit: 8 }),
    queryFn: () => api.listRecords("account", listQuery({ search: text, limit: 8 })),
    enabled: value === null && text.trim().length > 0,
  });
  if (value !== null) {
    return (
      <div className="picked">
        <span data-testid="log-account">{chosen.data?.title ?? "…"}</span>
        <button type="button" className="plain small" onClick={() => onChange(null)}>
          {t("activity.changeAccount")}
        </button>
      </div>
    );
  }
  return (
    <div className="picker">
      <input
        type="search"
        name="account-search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={t("activity.findAccount")}
        aria-label={t("activity.account")}
        autoComplete="off"
      />
      {(found.data?.records.length ?? 0) > 0 && (
        <ul className="picker-options">
          {found.data?.records.map((r) => (
            <li key={r.id}>
              <button type="button" className="plain" onClick={() => onChange(r.id)}>
                {r.title}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function QuickLog({ pageAccount }: { pageAccount: string | null }) {
  const { t } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const schema = useSchema();
  const dialog = useRef<HTMLDialogElement>(null);
  const subjectRef = useRef<HTMLInputElement>(null);
  const [account, setAccount] = useState<string | null>(null);
  const [kind, setKind] = useState("visit");
  const [subject, setSubject] = useState("");
  const [body, setBody] = useState("");
  const [contact, setContact] = useState("");
  const [deal, setDeal] = useState("");

  const open = useCallback(
    ({ account: accountId, deal: dealId }: Opening) => {
      setAccount(accountId ?? pageAccount);
      setSubject("");
      setBody("");
      setContact("");
      setDeal(dealId ?? "");
      dialog.current?.showModal();
      requestAnimationFrame(() => subjectRef.current?.focus());
    },
    [pageAccount],
  );

  useEffect(() => {
    const onOpen = (e: Event) => open((e as CustomEvent<Opening>).detail);
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === "l") {
        e.preventDefault();
        open({ account: null, deal: null });
      }
    };
    window.addEventListener(OPEN_EVENT, onOpen);
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener(OPEN_EVENT, onOpen);
      window.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const contacts = useQuery({
    queryKey: queryKeys.list("contact", { account: account ?? "" }),
    queryFn: () => api.listRecords("contact", listQuery({ account, limit: 200 })),
    enabled: account !== null,
  });
  const deals = useQuery({
    queryKey: queryKeys.list("opportunity", { account: account ?? "" }),
    queryFn: () => api.listRecords("opportunity", listQuery({ account, limit: 200 })),
    enabled: account !== null,
  });

  const log = useMutation({
    mutationFn: () => {
      const values: FieldValues = {
        account_id: account,
        activity_kind: kind,
        subject: subject.trim() || null,
        body: body.trim() || null,
        contact_id: contact || null,
        opportunity_id: deal || null,
        at: new Date().toISOString(),
      };
      return api.createRecord("activity", values);
    },
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ["list", "activity"] });
      dialog.current?.close();
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    log.mutate();
  };

  return (
    <dialog ref={dialog} className="quick-log" aria-labelledby="quick-log-title" onClose={() => log.reset()}>
      <form onSubmit={submit} className="form">
        <h2 id="quick-log-title">{t("activity.log")}</h2>
        <fieldset className="kind-choice">
          <legend>{t("activity.kind")}</legend>
          {(schema?.activity_kinds ?? []).map((k) => (
            <label key={k}>
              <input type="radio" name="activity-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              <span>{choiceLabel(t, "activity_kind", k)}</span>
            </label>
          ))}
        </fieldset>
        <label>
          <span>{t("activity.subject")}</span>
          <input ref={subjectRef} name="subject" value={subject} onChange={(e) => setSubject(e.target.value)} />
        </label>
        <div className="label-like">
          <span>{t("activity.account")}</span>
          <AccountPicker value={account} onChange={setAccount} />
        </div>
        {account !== null && (
          <div className="form-row">
            <label>
              <span>{t("activity.contact")}</span>
              <select name="contact" value={contact} onChange={(e) => setContact(e.target.value)}>
                <option value="">{t("value.none")}</option>
                {contacts.data?.records.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.title}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span>{t("activity.deal")}</span>
              <select name="deal" value={deal} onChange={(e) => setDeal(e.target.value)}>
                <option value="">{t("value.none")}</option>
                {deals.data?.records.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.title}
                  </option>
                ))}
              </select>
            </label>
          </div>
        )}
        <label>
          <span>{t("activity.body")}</span>
          <textarea
            name="body"
            rows={3}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                log.mutate();
              }
            }}
          />
        </label>
        {log.isError && (
          <p className="error" role="alert">
            {errorMessage(log.error)}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="plain" onClick={() => dialog.current?.close()}>
            {t("action.cancel")}
          </button>
          <button type="submit" className="primary" disabled={log.isPending || account === null}>
            {t("activity.save")}
          </button>
        </div>
      </form>
    </dialog>
  );
}

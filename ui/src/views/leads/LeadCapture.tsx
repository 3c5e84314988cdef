/**
 * Capturing a lead in seconds, from anywhere: Ctrl-Shift-L (Cmd-Shift-L on a Mac) or a
 * "New lead" button opens this dialog with the name focused; type the person, Tab, the
 * company, Enter: saved (offline like everything else). The source is one choice (the
 * schema's list); phone and e-mail are there for a business card.
 */

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ChangeEvent, type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import { errorMessage, type FieldValues } from "../../api/api";
import { useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { choiceLabel } from "../records/labels";
import { fieldsOf, useSchema } from "../records/schema";

const OPEN_EVENT = "fieldbook:capture-lead";
const DEFAULT_SOURCE = "visit";

/** Opens the quick-capture dialog. */
export function openLeadCapture() {
  window.dispatchEvent(new CustomEvent(OPEN_EVENT));
}

const EMPTY = { name: "", company: "", title: "", phone: "", email: "" };
type Typed = typeof EMPTY;

export function LeadCapture() {
  const { t } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const schema = useSchema();
  const dialog = useRef<HTMLDialogElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const [typed, setTyped] = useState<Typed>(EMPTY);
  const [source, setSource] = useState(DEFAULT_SOURCE);
  const [saved, setSaved] = useState<string | null>(null);
  const sourceInfo = fieldsOf(schema, "lead").get("source");
  const sources = sourceInfo?.kind.type === "enum" ? sourceInfo.kind.values : [];

  const open = useCallback(() => {
    setTyped(EMPTY);
    setSource(DEFAULT_SOURCE);
    setSaved(null);
    dialog.current?.showModal();
    requestAnimationFrame(() => nameRef.current?.focus());
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.shiftKey && e.key.toLowerCase() === "l") {
        e.preventDefault();
        open();
      }
    };
    window.addEventListener(OPEN_EVENT, open);
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener(OPEN_EVENT, open);
      window.removeEventListener("keydown", onKey);
    };
  }, [open]);

  // The "saved" note steps aside after a few seconds.
  useEffect(() => {
    if (!saved) return;
    const timer = setTimeout(() => setSaved(null), 4000);
    return () => clearTimeout(timer);
  }, [saved]);

  const save = useMutation({
    mutationFn: () => {
      const values: FieldValues = { source: source || null, status: "new" };
      for (const [field, value] of Object.entries(typed)) values[field] = value.trim() || null;
      return api.createRecord("lead", values);
    },
    onSuccess: (lead) => {
      void queries.invalidateQueries({ queryKey: ["list", "lead"] });
      setSaved(lead.title);
      setTyped(EMPTY);
      dialog.current?.close();
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const props = (field: keyof Typed) => ({
    name: field,
    value: typed[field],
    autoComplete: "off",
    onChange: (e: ChangeEvent<HTMLInputElement>) => setTyped({ ...typed, [field]: e.target.value }),
  });

  return (
    <>
      <dialog ref={dialog} className="lead-capture" aria-labelledby="lead-capture-title" onClose={() => save.reset()}>
        <form onSubmit={submit} className="form">
          <h2 id="lead-capture-title">{t("leads.capture")}</h2>
          <label>
            <span>{t("leads.person")}</span>
            <input ref={nameRef} {...props("name")} required />
          </label>
          <label>
            <span>{t("field.company")}</span>
            <input {...props("company")} />
          </label>
          <div className="form-row">
            <label>
              <span>{t("field.phone")}</span>
              <input type="tel" {...props("phone")} />
            </label>
            <label>
              <span>{t("field.email")}</span>
              <input type="email" {...props("email")} />
            </label>
          </div>
          <div className="form-row">
            <label>
              <span>{t("field.jobTitle")}</span>
              <input {...props("title")} />
            </label>
            <label>
              <span>{t("field.source")}</span>
              <select name="source" value={source} onChange={(e) => setSource(e.target.value)}>
                {sources.map((s) => (
                  <option key={s} value={s}>
                    {choiceLabel(t, "source", s)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {save.isError && (
            <p className="error" role="alert">
              {errorMessage(save.error)}
            </p>
          )}
          <div className="form-actions">
            <button type="button" className="plain" onClick={() => dialog.current?.close()}>
              {t("action.cancel")}
            </button>
            <button type="submit" className="primary" disabled={save.isPending}>
              {t("leads.save")}
            </button>
          </div>
        </form>
      </dialog>
      {saved && (
        <p className="toast" role="status" data-testid="lead-saved">
          {t("leads.saved", { name: saved })}
        </p>
      )}
    </>
  );
}

/**
 * Disqualifying a lead asks why, in the same step (Rust refuses a disqualified lead without
 * a reason): status and reason are written together.
 */

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { errorMessage, type RecordView } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";

export function Disqualify({ lead }: { lead: RecordView }) {
  const { t } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState("");
  const save = useMutation({
    mutationFn: () => api.updateRecord(lead.id, { status: "disqualified", disqualify_reason: reason.trim() || null }),
    onSuccess: (updated) => {
      queries.setQueryData(queryKeys.record(lead.id), updated);
      setAsking(false);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  if (!asking) {
    return (
      <button type="button" className="plain" onClick={() => setAsking(true)} data-testid="disqualify">
        {t("leads.disqualify")}
      </button>
    );
  }
  return (
    <form className="panel form" onSubmit={submit} aria-labelledby="disqualify-title">
      <h2 id="disqualify-title">{t("leads.disqualifyButton")}</h2>
      <label>
        <span>{t("field.disqualifyReason")}</span>
        {/* biome-ignore lint/a11y/noAutofocus: opened to type the reason */}
        <input name="disqualify-reason" value={reason} onChange={(e) => setReason(e.target.value)} required autoFocus />
      </label>
      {save.isError && (
        <p className="error" role="alert">
          {errorMessage(save.error)}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="plain small" onClick={() => setAsking(false)}>
          {t("action.cancel")}
        </button>
        <button type="submit" className="primary small" disabled={save.isPending}>
          {t("leads.disqualifyButton")}
        </button>
      </div>
    </form>
  );
}

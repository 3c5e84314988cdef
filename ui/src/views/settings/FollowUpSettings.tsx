/**
 * This device's follow-up preferences: how many days before a renewal date and before a
 * predicted reorder a reminder starts, and a new case's due days per priority (the
 * priorities from the schema). Each number is saved on its own; Rust checks the range.
 * An account's own renewal lead time is a field of the account.
 */

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { errorMessage } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { choiceLabel } from "../records/labels";
import { fieldsOf, useSchema } from "../records/schema";

/** One number of days, saved by name. */
function Days({ name, label, value }: { name: string; label: string; value: number }) {
  const { t } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const [draft, setDraft] = useState(String(value));
  const save = useMutation({
    mutationFn: () => api.setPreference(name, Number.parseInt(draft, 10)),
    onSuccess: (all) => {
      queries.setQueryData(queryKeys.preferences, all);
      void queries.invalidateQueries({ queryKey: ["reminders"] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="form-row days-form" onSubmit={submit} data-setting={name}>
      <label>
        <span>{label}</span>
        <input
          name={name}
          type="number"
          min={0}
          step={1}
          required
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
      </label>
      <button type="submit" disabled={save.isPending || draft === String(value)}>
        {t("action.save")}
      </button>
      {save.isError && (
        <p className="error" role="alert">
          {errorMessage(save.error)}
        </p>
      )}
    </form>
  );
}

export function FollowUpSettings() {
  const { t } = useI18n();
  const api = useApi();
  const schema = useSchema();
  const prefs = useQuery({ queryKey: queryKeys.preferences, queryFn: () => api.preferences() });
  const priorityInfo = fieldsOf(schema, "case").get("priority");
  const priorities = priorityInfo?.kind.type === "enum" ? priorityInfo.kind.values : [];
  const all = prefs.data;
  return (
    <section className="panel" aria-labelledby="followup-title" data-testid="followup-settings">
      <h2 id="followup-title">{t("settings.followUp")}</h2>
      {prefs.isError && (
        <p className="error" role="alert">
          {errorMessage(prefs.error)}
        </p>
      )}
      {all && (
        <>
          <Days
            key={`renewal-${all.reminders.renewal_days}`}
            name="reminders.renewal_days"
            label={t("settings.renewalDays")}
            value={all.reminders.renewal_days}
          />
          <Days
            key={`reorder-${all.reminders.reorder_days}`}
            name="reminders.reorder_days"
            label={t("settings.reorderDays")}
            value={all.reminders.reorder_days}
          />
          <h3>{t("settings.caseDue")}</h3>
          {priorities.map((p) => {
            const days = all.case_due_days[p];
            return days === undefined ? null : (
              <Days key={`${p}-${days}`} name={`case_due.${p}`} label={choiceLabel(t, "priority", p)} value={days} />
            );
          })}
        </>
      )}
    </section>
  );
}

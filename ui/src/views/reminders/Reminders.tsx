/**
 * Reminders in Today, worked out by Rust on this device (offline) for today: renewals
 * coming up, predicted reorders (with the reason: "bought every ~42 days; last …") and
 * overdue cases. Each can be dismissed for good or snoozed for a week (the choice syncs to
 * this user's other devices); a renewal turns into the renewal deal in one click (prefilled
 * and linked to the deal it renews), whose page then opens.
 */

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type DueReminder, errorMessage } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { type I18n, useI18n } from "../../i18n/I18n";
import { recordHref } from "../../shell/routes";
import { localDay } from "../records/day";
import { choiceLabel } from "../records/labels";

/** How long "snooze" hides a reminder, in days. */
const SNOOZE_DAYS = 7;

export function useReminders() {
  const api = useApi();
  const today = localDay();
  return useQuery({
    queryKey: queryKeys.reminders(today),
    queryFn: () => api.reminders(today),
    refetchInterval: 60_000,
  });
}

/**
 * What a reminder is about, in the user's language (Rust's `text` is English only), its
 * days written by `date`.
 */
export function reminderText(t: I18n["t"], date: (day: string) => string, r: DueReminder): string {
  const reason = r.reason;
  switch (reason.type) {
    case "renewal":
      return t("reminders.renewal", { deal: reason.deal_name, date: date(reason.renewal_date) });
    case "reorder":
      return t("reminders.reorder", { days: reason.every_days, date: date(reason.last_won) });
    case "overdue_case":
      return t("reminders.overdueCase", {
        subject: reason.subject,
        priority: choiceLabel(t, "priority", reason.priority),
        date: date(r.due),
      });
  }
}

/** The calendar day `days` after `day` (YYYY-MM-DD). */
function daysAfter(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function ReminderRow({ reminder }: { reminder: DueReminder }) {
  const { t, fmt } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const today = localDay();
  const done = () => void queries.invalidateQueries({ queryKey: ["reminders"] });
  const dismiss = useMutation({
    mutationFn: (until: string | null) => api.dismissReminder(reminder.key, until, today),
    onSuccess: done,
  });
  const renew = useMutation({
    mutationFn: () => api.renewReminder(reminder.key, today),
    onSuccess: (made) => {
      done();
      window.location.hash = recordHref("opportunity", made.opportunity);
    },
  });
  const busy = dismiss.isPending || renew.isPending;
  const when =
    reminder.days_left < 0
      ? t("reminders.daysAgo", { count: -reminder.days_left })
      : reminder.days_left === 0
        ? t("reminders.dueToday")
        : t("reminders.inDays", { count: reminder.days_left });
  return (
    <li className="reminder" data-key={reminder.key} data-type={reminder.reason.type}>
      <div className="reminder-what">
        <a href={recordHref("account", reminder.account_id)}>{reminder.account}</a>
        <span className="reminder-text">{reminderText(t, fmt.date, reminder)}</span>
        <span className={reminder.days_left < 0 ? "reminder-when is-overdue" : "reminder-when"}>{when}</span>
      </div>
      <div className="reminder-actions">
        {reminder.reason.type === "renewal" && (
          <button
            type="button"
            className="primary small"
            data-action="renew"
            disabled={busy}
            onClick={() => renew.mutate()}
          >
            {t("reminders.renew")}
          </button>
        )}
        <button
          type="button"
          className="small"
          data-action="snooze"
          disabled={busy}
          onClick={() => dismiss.mutate(daysAfter(today, SNOOZE_DAYS))}
        >
          {t("reminders.snooze")}
        </button>
        <button
          type="button"
          className="plain small"
          data-action="dismiss"
          disabled={busy}
          onClick={() => dismiss.mutate(null)}
        >
          {t("reminders.dismiss")}
        </button>
      </div>
      {(dismiss.isError || renew.isError) && (
        <p className="error" role="alert">
          {errorMessage(dismiss.error ?? renew.error)}
        </p>
      )}
    </li>
  );
}

export function Reminders() {
  const { t } = useI18n();
  const reminders = useReminders();
  const list = reminders.data ?? [];
  return (
    <section className="panel" aria-labelledby="today-reminders" data-testid="reminders">
      <h2 id="today-reminders">{t("reminders.title")}</h2>
      {reminders.isError && (
        <p className="error" role="alert">
          {errorMessage(reminders.error)}
        </p>
      )}
      {reminders.data && list.length === 0 && <p className="muted">{t("reminders.none")}</p>}
      <ul className="list">
        {list.map((r) => (
          <ReminderRow key={r.key} reminder={r} />
        ))}
      </ul>
    </section>
  );
}

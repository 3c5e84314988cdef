/**
 * A desktop notification once per reminder: each reminder's key is remembered on this
 * device once told (a new due day or a new win makes a new key, told again), worded in the
 * user's language. Several new ones at once make one notification.
 */

import { useEffect } from "react";
import { useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { reminderText, useReminders } from "./Reminders";

const STORAGE_KEY = "fieldbook.notifiedReminders";
/** How many told keys are remembered (the oldest are forgotten first). */
const REMEMBERED = 500;

function told(): string[] {
  try {
    const kept: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "[]");
    return Array.isArray(kept) ? kept.filter((k): k is string => typeof k === "string") : [];
  } catch {
    return [];
  }
}

export function ReminderNotifier() {
  const api = useApi();
  const { t, fmt } = useI18n();
  const reminders = useReminders();
  useEffect(() => {
    const list = reminders.data;
    if (!list) return;
    const seen = told();
    const fresh = list.filter((r) => !seen.includes(r.key));
    const first = fresh[0];
    if (!first) return;
    const body =
      fresh.length === 1
        ? t("reminders.notifyOne", { account: first.account, text: reminderText(t, fmt.date, first) })
        : t("reminders.many", { count: fresh.length });
    void api.notify(t("reminders.notifyTitle"), body);
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify([...seen, ...fresh.map((r) => r.key)].slice(-REMEMBERED)));
    } catch {
      // Without storage the same reminders may be told again at the next start.
    }
  }, [reminders.data, api, t, fmt]);
  return null;
}

/**
 * A desktop notification when a task falls due: each open task due today or overdue is
 * told once (remembered on this device by task and due date), worded in the user's
 * language. Several at once make one notification.
 */

import { useEffect } from "react";
import { useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { useAgenda } from "../today/Today";

const STORAGE_KEY = "fieldbook.notifiedTasks";

function told(): Set<string> {
  try {
    return new Set(JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "[]") as string[]);
  } catch {
    return new Set();
  }
}

export function DueNotifier() {
  const api = useApi();
  const { t, fmt } = useI18n();
  const agenda = useAgenda();
  useEffect(() => {
    const day = agenda.data;
    if (!day) return;
    const seen = told();
    const due = [...day.overdue, ...day.due_today].filter((task) => {
      const date = task.fields.due;
      return typeof date === "string" && !seen.has(`${task.id}:${date}`);
    });
    if (due.length === 0) return;
    const first = due[0];
    const date = first?.fields.due;
    if (due.length === 1 && first && typeof date === "string") {
      void api.notify(t("tasks.dueTitle"), t("tasks.dueBody", { title: first.title, date: fmt.date(date) }));
    } else {
      void api.notify(t("tasks.dueTitle"), t("tasks.dueMany", { count: due.length }));
    }
    for (const task of due) seen.add(`${task.id}:${String(task.fields.due)}`);
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify([...seen].slice(-500)));
    } catch {
      // Without storage the same tasks may be told again at the next start.
    }
  }, [agenda.data, api, t, fmt]);
  return null;
}

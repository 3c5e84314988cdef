/** A task in a list: done in one click, its due date, a link to where it belongs. */

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { errorMessage, type RecordView } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { recordHref } from "../../shell/routes";

function text(record: RecordView, field: string): string | null {
  const v = record.fields[field];
  return typeof v === "string" ? v : null;
}

export function TaskRow({ task, overdue = false }: { task: RecordView; overdue?: boolean }) {
  const { t, fmt } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const done = task.fields.done === true;
  const toggle = useMutation({
    mutationFn: () => api.updateRecord(task.id, { done: !done }),
    onSuccess: (updated) => queries.setQueryData(queryKeys.record(task.id), updated),
  });
  const due = text(task, "due");
  const account = text(task, "account_id");
  return (
    <li className={done ? "task-row is-done" : "task-row"} data-id={task.id}>
      <input
        type="checkbox"
        checked={done}
        disabled={toggle.isPending}
        onChange={() => toggle.mutate()}
        aria-label={t(done ? "tasks.markOpen" : "tasks.markDone", { title: task.title })}
      />
      <span className="task-title">
        {account ? <a href={recordHref("account", account)}>{task.title}</a> : task.title}
      </span>
      {due && (
        <span className={overdue ? "task-due is-overdue" : "task-due"}>
          {overdue ? t("tasks.overdueSince", { date: fmt.date(due) }) : fmt.date(due)}
        </span>
      )}
      {toggle.isError && (
        <span className="error" role="alert">
          {errorMessage(toggle.error)}
        </span>
      )}
    </li>
  );
}

/** Tasks: every open task by due date (done in one click), and a new task in one line. */

import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { errorMessage, listQuery } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { localDay } from "../records/day";
import { TaskRow } from "./TaskRow";

const OPEN = {
  filters: [{ field: "done", value: false }],
  order: { by: "field", field: "due", descending: false } as const,
  limit: 500,
};

export function Tasks() {
  const { t } = useI18n();
  const api = useApi();
  const today = localDay();
  const list = useQuery({
    queryKey: queryKeys.list("task", OPEN),
    queryFn: () => api.listRecords("task", listQuery(OPEN)),
  });
  const [title, setTitle] = useState("");
  const [due, setDue] = useState(today);
  const create = useMutation({
    mutationFn: () => api.createRecord("task", { title, due: due || null }),
    onSuccess: () => setTitle(""),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const rows = list.data?.records ?? [];
  return (
    <section aria-labelledby="tasks-title-h" className="tasks">
      <h1 id="tasks-title-h">{t("nav.tasks")}</h1>
      <form className="form panel form-row" onSubmit={submit} aria-label={t("tasks.new")}>
        <label className="grow">
          <span>{t("tasks.new")}</span>
          <input name="title" value={title} onChange={(e) => setTitle(e.target.value)} required />
        </label>
        <label>
          <span>{t("field.due")}</span>
          <input name="due" type="date" value={due} onChange={(e) => setDue(e.target.value)} />
        </label>
        <button type="submit" className="primary" disabled={create.isPending}>
          {t("action.add")}
        </button>
        {create.isError && (
          <p className="error" role="alert">
            {errorMessage(create.error)}
          </p>
        )}
      </form>
      {list.isSuccess && rows.length === 0 && <p className="muted">{t("tasks.none")}</p>}
      <ul className="list panel" data-testid="tasks">
        {rows.map((task) => {
          const d = task.fields.due;
          return <TaskRow key={task.id} task={task} overdue={typeof d === "string" && d < today} />;
        })}
      </ul>
    </section>
  );
}

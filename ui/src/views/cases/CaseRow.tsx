/**
 * One service request in a list: subject, priority, status, assignee, due day (flagged
 * when overdue) and, once resolved, its resolution. Its status changes in place; choosing
 * "resolved" asks for the resolution (Rust refuses a resolved case without one). Its
 * subject opens its details, each edited in place (another assignee, priority, due day).
 */

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { errorMessage, type RecordView, type SchemaInfo } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { localDay } from "../records/day";
import { Field } from "../records/Field";
import { choiceLabel } from "../records/labels";
import { fieldsOf } from "../records/schema";

/** What a case's details show, each edited in place (status and resolution have their own way). */
const DETAILS = ["subject", "priority", "assignee", "due", "description"];

export function str(r: RecordView, field: string): string | null {
  const v = r.fields[field];
  return typeof v === "string" ? v : null;
}

/**
 * Whether a case is still open (its status among the schema's `open_case_statuses`) and its
 * due day has passed (`YYYY-MM-DD` days compare as text).
 */
export function isOverdue(openStatuses: readonly string[], c: RecordView, today: string = localDay()): boolean {
  const due = str(c, "due");
  const status = str(c, "status") ?? "new";
  return due !== null && due < today && openStatuses.includes(status);
}

export function CaseRow({ schema, record }: { schema: SchemaInfo; record: RecordView }) {
  const { t, fmt } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const [resolving, setResolving] = useState(false);
  const [resolution, setResolution] = useState("");
  const [details, setDetails] = useState(false);
  const fields = fieldsOf(schema, "case");
  const statusInfo = fieldsOf(schema, "case").get("status");
  const statuses = statusInfo?.kind.type === "enum" ? statusInfo.kind.values : [];
  const status = str(record, "status") ?? "new";
  const priority = str(record, "priority");
  const assignee = str(record, "assignee");
  const due = str(record, "due");
  const done = str(record, "resolution");
  const overdue = isOverdue(schema.open_case_statuses, record);

  const save = useMutation({
    mutationFn: (values: { status: string; resolution?: string }) => api.updateRecord(record.id, values),
    onSuccess: (updated) => {
      queries.setQueryData(queryKeys.record(record.id), updated);
      void queries.invalidateQueries({ queryKey: ["list", "case"] });
      setResolving(false);
    },
  });
  const choose = (next: string) => {
    if (next === "resolved" && !done) {
      setResolving(true);
      return;
    }
    save.mutate({ status: next });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ status: "resolved", resolution: resolution.trim() });
  };

  return (
    <li className={overdue ? "case-row is-overdue" : "case-row"} data-id={record.id} data-status={status}>
      <div className="case-head">
        <button
          type="button"
          className="plain case-subject"
          aria-expanded={details}
          onClick={() => setDetails(!details)}
        >
          {record.title}
        </button>
        <span className="row-meta">
          {priority && (
            <span className={`chip priority-${priority}`} data-priority={priority}>
              {choiceLabel(t, "priority", priority)}
            </span>
          )}
          {overdue && <span className="chip is-overdue">{t("cases.overdue")}</span>}
        </span>
      </div>
      <div className="case-meta">
        {assignee && <span>{t("cases.assignedTo", { user: assignee })}</span>}
        {due && <span className={overdue ? "is-overdue" : ""}>{t("cases.dueOn", { date: fmt.date(due) })}</span>}
        <select
          name="case-status"
          aria-label={t("cases.statusOf", { subject: record.title })}
          value={status}
          disabled={save.isPending}
          onChange={(e) => choose(e.target.value)}
        >
          {statuses.map((s) => (
            <option key={s} value={s}>
              {choiceLabel(t, "status", s)}
            </option>
          ))}
        </select>
      </div>
      {done && (
        <p className="case-resolution">
          <span className="muted">{t("cases.resolutionLabel")}</span>
          <span data-testid="resolution">{done}</span>
        </p>
      )}
      {details && (
        <dl className="fields case-details">
          {DETAILS.map((name) => {
            const info = fields.get(name);
            return info ? <Field key={name} record={record} info={info} /> : null;
          })}
        </dl>
      )}
      {resolving && (
        <form className="form" onSubmit={submit}>
          <label>
            <span>{t("field.resolution")}</span>
            <textarea
              name="resolution"
              rows={2}
              required
              // biome-ignore lint/a11y/noAutofocus: opened to type the resolution
              autoFocus
              value={resolution}
              onChange={(e) => setResolution(e.target.value)}
            />
          </label>
          <div className="form-actions">
            <button type="button" className="plain small" onClick={() => setResolving(false)}>
              {t("action.cancel")}
            </button>
            <button type="submit" className="primary small" disabled={save.isPending}>
              {t("cases.resolve")}
            </button>
          </div>
        </form>
      )}
      {save.isError && (
        <p className="error" role="alert">
          {errorMessage(save.error)}
        </p>
      )}
    </li>
  );
}

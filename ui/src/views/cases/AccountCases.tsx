/**
 * An account's service requests (cases): open ones first, overdue ones flagged, and a
 * form to log one on a visit (offline): subject, priority (the schema's list), the
 * account's contact it concerns, assignee
 * (any colleague's user name, in any team: the server shares the case with them), due
 * day (left empty: Rust sets it from the priority) and a description.
 */

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { errorMessage, type FieldValues, listQuery, type RecordView, type SchemaInfo } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { choiceLabel } from "../records/labels";
import { fieldsOf } from "../records/schema";
import { CaseRow, isOverdue, str } from "./CaseRow";

const DEFAULT_PRIORITY = "normal";

/** The account's cases, as the page and its overdue flag read them. */
export function useAccountCases(accountId: string) {
  const api = useApi();
  const q = { account: accountId, limit: 200 };
  return useQuery({ queryKey: queryKeys.list("case", q), queryFn: () => api.listRecords("case", listQuery(q)) });
}

function LogCase({ schema, accountId, onDone }: { schema: SchemaInfo; accountId: string; onDone: () => void }) {
  const { t } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const priorityInfo = fieldsOf(schema, "case").get("priority");
  const priorities = priorityInfo?.kind.type === "enum" ? priorityInfo.kind.values : [];
  const [subject, setSubject] = useState("");
  const [priority, setPriority] = useState(DEFAULT_PRIORITY);
  const [assignee, setAssignee] = useState("");
  const [due, setDue] = useState("");
  const [description, setDescription] = useState("");
  const [contact, setContact] = useState("");
  const q = { account: accountId, limit: 200 };
  const contacts = useQuery({
    queryKey: queryKeys.list("contact", q),
    queryFn: () => api.listRecords("contact", listQuery(q)),
  });
  const create = useMutation({
    mutationFn: () => {
      const values: FieldValues = {
        account_id: accountId,
        subject: subject.trim() || null,
        priority,
        status: "new",
        assignee: assignee.trim() || null,
        due: due || null,
        description: description.trim() || null,
        contact_id: contact || null,
      };
      return api.createRecord("case", values);
    },
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ["list", "case"] });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form className="form add-form" onSubmit={submit} aria-label={t("cases.log")} data-kind="case">
      <label>
        <span>{t("field.subject")}</span>
        {/* biome-ignore lint/a11y/noAutofocus: the form was opened to be filled in */}
        <input name="subject" value={subject} onChange={(e) => setSubject(e.target.value)} required autoFocus />
      </label>
      <div className="form-row">
        <label>
          <span>{t("field.priority")}</span>
          <select name="priority" value={priority} onChange={(e) => setPriority(e.target.value)}>
            {priorities.map((p) => (
              <option key={p} value={p}>
                {choiceLabel(t, "priority", p)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("field.due")}</span>
          <input name="due" type="date" value={due} onChange={(e) => setDue(e.target.value)} />
        </label>
      </div>
      <label>
        <span>{t("field.contact")}</span>
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
        <span>{t("field.assignee")}</span>
        <input
          name="assignee"
          value={assignee}
          onChange={(e) => setAssignee(e.target.value)}
          placeholder={t("cases.assigneeHint")}
          autoComplete="off"
        />
      </label>
      <label>
        <span>{t("field.description")}</span>
        <textarea name="description" rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <p className="muted small-print">{t("cases.dueHint")}</p>
      {create.isError && (
        <p className="error" role="alert">
          {errorMessage(create.error)}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="plain small" onClick={onDone}>
          {t("action.cancel")}
        </button>
        <button type="submit" className="primary small" disabled={create.isPending}>
          {t("cases.save")}
        </button>
      </div>
    </form>
  );
}

/** Open cases first (overdue, then by due day), then the others. */
function ordered(schema: SchemaInfo, cases: RecordView[]): RecordView[] {
  const open = (c: RecordView) => schema.open_case_statuses.includes(str(c, "status") ?? "new");
  const rank = (c: RecordView) => (isOverdue(schema.open_case_statuses, c) ? 0 : open(c) ? 1 : 2);
  return [...cases].sort(
    (a, b) => rank(a) - rank(b) || (str(a, "due") ?? "9999").localeCompare(str(b, "due") ?? "9999"),
  );
}

export function AccountCases({ schema, accountId }: { schema: SchemaInfo; accountId: string }) {
  const { t } = useI18n();
  const cases = useAccountCases(accountId);
  const [adding, setAdding] = useState(false);
  const records = cases.data?.records ?? [];
  return (
    <section className="panel related" aria-labelledby="cases-title" data-section="cases-title">
      <div className="panel-head">
        <h2 id="cases-title">
          {t("kinds.case")}
          {cases.data && <span className="count-badge">{records.length}</span>}
        </h2>
        <button type="button" className="small" onClick={() => setAdding(!adding)} aria-expanded={adding}>
          {t("cases.log")}
        </button>
      </div>
      {adding && <LogCase schema={schema} accountId={accountId} onDone={() => setAdding(false)} />}
      {cases.isError && (
        <p className="error" role="alert">
          {errorMessage(cases.error)}
        </p>
      )}
      {cases.data && records.length === 0 && <p className="muted">{t("cases.none")}</p>}
      <ul className="list" data-testid="cases">
        {ordered(schema, records).map((c) => (
          <CaseRow key={c.id} schema={schema} record={c} />
        ))}
      </ul>
    </section>
  );
}

/** "2 overdue cases" beside the account's name, when it has any. */
export function OverdueFlag({ schema, accountId }: { schema: SchemaInfo; accountId: string }) {
  const { t } = useI18n();
  const cases = useAccountCases(accountId);
  const count = (cases.data?.records ?? []).filter((c) => isOverdue(schema.open_case_statuses, c)).length;
  if (count === 0) return null;
  return (
    // A button, not a link: the URL's hash is the app's route.
    <button
      type="button"
      className="chip is-overdue"
      data-testid="overdue-cases"
      onClick={() => document.getElementById("cases-title")?.scrollIntoView({ block: "start" })}
    >
      {t("cases.overdueCount", { count })}
    </button>
  );
}

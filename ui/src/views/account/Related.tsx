/** An account's contacts, deals, quotes and tasks, each with a way to add one. */

import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { errorMessage, type FieldValues, type Kind, type ListOrder, listQuery, type RecordView } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import type { Key } from "../../i18n/en";
import { useI18n } from "../../i18n/I18n";
import { recordHref } from "../../shell/routes";
import { choiceLabel } from "../records/labels";
import { TaskRow } from "../tasks/TaskRow";

function str(r: RecordView, field: string): string | null {
  const v = r.fields[field];
  return typeof v === "string" ? v : null;
}

function useRelated(
  kind: Kind,
  accountId: string,
  order: ListOrder,
  filters: Partial<Parameters<typeof listQuery>[0]> = {},
) {
  const api = useApi();
  const q = { account: accountId, order, limit: 200, ...filters };
  return useQuery({ queryKey: queryKeys.list(kind, q), queryFn: () => api.listRecords(kind, listQuery(q)) });
}

/** A small form adding a record of `kind` to the account: one line of inputs. */
function AddForm({
  kind,
  accountId,
  inputs,
  label,
  onDone,
}: {
  kind: Kind;
  accountId: string;
  inputs: { name: string; label: Key; type?: string; required?: boolean }[];
  label: Key;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const api = useApi();
  const [values, setValues] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: () => {
      const v: FieldValues = { account_id: accountId };
      for (const i of inputs) v[i.name] = values[i.name]?.trim() || null;
      return api.createRecord(kind, v);
    },
    onSuccess: onDone,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form className="form add-form" onSubmit={submit} aria-label={t(label)} data-kind={kind}>
      {inputs.map((i, n) => (
        <label key={i.name}>
          <span>{t(i.label)}</span>
          <input
            name={i.name}
            type={i.type ?? "text"}
            required={i.required}
            // biome-ignore lint/a11y/noAutofocus: the form was opened to be filled in
            autoFocus={n === 0}
            value={values[i.name] ?? ""}
            onChange={(e) => setValues({ ...values, [i.name]: e.target.value })}
          />
        </label>
      ))}
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
          {t("action.add")}
        </button>
      </div>
    </form>
  );
}

function Section({
  id,
  title,
  addLabel,
  count,
  children,
  form,
}: {
  id: string;
  title: Key;
  addLabel: Key;
  count: number | undefined;
  children: React.ReactNode;
  form: (close: () => void) => React.ReactNode;
}) {
  const { t } = useI18n();
  const [adding, setAdding] = useState(false);
  return (
    <section className="panel related" aria-labelledby={id} data-section={id}>
      <div className="panel-head">
        <h2 id={id}>
          {t(title)}
          {count !== undefined && <span className="count-badge">{count}</span>}
        </h2>
        <button type="button" className="small" onClick={() => setAdding(!adding)} aria-expanded={adding}>
          {t(addLabel)}
        </button>
      </div>
      {adding && form(() => setAdding(false))}
      {children}
    </section>
  );
}

export function Contacts({ accountId }: { accountId: string }) {
  const { t } = useI18n();
  const list = useRelated("contact", accountId, { by: "field", field: "name", descending: false });
  const rows = list.data?.records ?? [];
  return (
    <Section
      id="contacts-title"
      title="account.contacts"
      addLabel="account.addContact"
      count={list.data?.records.length}
      form={(close) => (
        <AddForm
          kind="contact"
          accountId={accountId}
          label="account.addContact"
          onDone={close}
          inputs={[
            { name: "name", label: "field.name", required: true },
            { name: "title", label: "field.jobTitle" },
            { name: "phone", label: "field.phone", type: "tel" },
            { name: "email", label: "field.email", type: "email" },
          ]}
        />
      )}
    >
      {rows.length === 0 ? (
        <p className="muted">{t("account.noContacts")}</p>
      ) : (
        <ul className="list" data-testid="contacts">
          {rows.map((c) => (
            <li key={c.id} className="row">
              <span className="row-title">{c.title}</span>
              <span className="row-meta">
                {[str(c, "title"), str(c, "phone"), str(c, "email")].filter(Boolean).join(" · ")}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

export function Deals({ accountId }: { accountId: string }) {
  const { t, fmt } = useI18n();
  const list = useRelated("opportunity", accountId, { by: "field", field: "close_date", descending: false });
  const rows = list.data?.records ?? [];
  return (
    <Section
      id="deals-title"
      title="account.deals"
      addLabel="account.addDeal"
      count={list.data?.records.length}
      form={(close) => (
        <AddForm
          kind="opportunity"
          accountId={accountId}
          label="account.addDeal"
          onDone={close}
          inputs={[
            { name: "name", label: "field.name", required: true },
            { name: "amount", label: "field.amount", type: "text" },
            { name: "close_date", label: "field.closeDate", type: "date" },
          ]}
        />
      )}
    >
      {rows.length === 0 ? (
        <p className="muted">{t("account.noDeals")}</p>
      ) : (
        <ul className="list">
          {rows.map((d) => {
            const amount = str(d, "amount");
            const currency = str(d, "currency");
            const stage = str(d, "stage");
            return (
              <li key={d.id} className="row">
                <a href={recordHref("opportunity", d.id)}>{d.title}</a>
                <span className="row-meta">
                  {stage && <span className="chip">{choiceLabel(t, "stage", stage)}</span>}
                  {amount && currency && <span className="money">{fmt.money(amount, currency)}</span>}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}

export function Quotes({ accountId }: { accountId: string }) {
  const { t, fmt } = useI18n();
  const list = useRelated("quote", accountId, { by: "recent" });
  const rows = list.data?.records ?? [];
  return (
    <section className="panel related" aria-labelledby="quotes-title">
      <div className="panel-head">
        <h2 id="quotes-title">
          {t("account.quotes")}
          <span className="count-badge">{rows.length}</span>
        </h2>
      </div>
      {rows.length === 0 ? (
        <p className="muted">{t("account.noQuotes")}</p>
      ) : (
        <ul className="list">
          {rows.map((q) => {
            const currency = str(q, "currency");
            const status = str(q, "status");
            return (
              <li key={q.id} className="row">
                <a href={recordHref("quote", q.id)}>{q.title}</a>
                <span className="row-meta">
                  {status && <span className="chip">{choiceLabel(t, "status", status)}</span>}
                  {q.totals && currency && <span className="money">{fmt.money(q.totals.total, currency)}</span>}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export function Tasks({ accountId }: { accountId: string }) {
  const { t } = useI18n();
  const list = useRelated(
    "task",
    accountId,
    { by: "field", field: "due", descending: false },
    { filters: [{ field: "done", value: false }] },
  );
  const rows = list.data?.records ?? [];
  return (
    <Section
      id="tasks-title"
      title="account.tasks"
      addLabel="account.addTask"
      count={list.data?.records.length}
      form={(close) => (
        <AddForm
          kind="task"
          accountId={accountId}
          label="account.addTask"
          onDone={close}
          inputs={[
            { name: "title", label: "field.title", required: true },
            { name: "due", label: "field.due", type: "date" },
          ]}
        />
      )}
    >
      {rows.length === 0 ? (
        <p className="muted">{t("account.noTasks")}</p>
      ) : (
        <ul className="list">
          {rows.map((task) => (
            <TaskRow key={task.id} task={task} />
          ))}
        </ul>
      )}
    </Section>
  );
}

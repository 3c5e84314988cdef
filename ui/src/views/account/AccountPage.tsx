/**
 * An account's page: its fields (edited where they are shown, conflicts on the field
 * itself), its contacts, deals, quotes, tasks and service requests (overdue ones flagged
 * beside its name), the activity timeline, the collaborative
 * notes and the history of every change. Everything on it refreshes when Rust says a
 * record changed (a sync, another window's write).
 */

import { useQuery } from "@tanstack/react-query";
import { ArrowLeft, Plus } from "lucide-react";
import { errorMessage } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { href } from "../../shell/routes";
import { openQuickLog } from "../activity/QuickLog";
import { AccountCases, OverdueFlag } from "../cases/AccountCases";
import { AccountLeads } from "../leads/AccountLeads";
import { Field } from "../records/Field";
import { fieldsOf, useSchema } from "../records/schema";
import { History } from "./History";
import { Notes } from "./Notes";
import { Contacts, Deals, Quotes, Tasks } from "./Related";
import { Timeline } from "./Timeline";

/** The fields shown under "Details", in this order (name is the page's title). */
const DETAILS = ["name", "industry", "phone", "email", "website", "address", "city", "country", "tags", "renewal_days"];

export function AccountPage({ id }: { id: string }) {
  const { t } = useI18n();
  const api = useApi();
  const schema = useSchema();
  const record = useQuery({ queryKey: queryKeys.record(id), queryFn: () => api.getRecord(id) });
  const fields = fieldsOf(schema, "account");
  const account = record.data;

  if (record.isError) {
    return (
      <section>
        <a href={href("accounts")}>{t("account.back")}</a>
        <p className="error" role="alert">
          {errorMessage(record.error)}
        </p>
      </section>
    );
  }
  if (!account || !schema) return <p className="muted">{t("app.loading")}</p>;

  return (
    <article className="account-page" aria-labelledby="account-title" data-id={id}>
      <nav className="crumbs" aria-label={t("account.crumbs")}>
        <a href={href("accounts")}>
          <ArrowLeft aria-hidden="true" size={16} />
          {t("nav.accounts")}
        </a>
      </nav>
      <div className="screen-head">
        <h1 id="account-title">{account.title}</h1>
        <OverdueFlag schema={schema} accountId={id} />
        <button type="button" className="primary" onClick={() => openQuickLog(id)}>
          <Plus aria-hidden="true" size={16} />
          {t("activity.log")}
        </button>
      </div>
      {account.has_conflicts && (
        <p className="conflict-banner" role="status">
          {t("account.hasConflicts")}
        </p>
      )}
      <div className="account-grid">
        <div className="account-main">
          <section className="panel" aria-labelledby="details-title">
            <h2 id="details-title">{t("account.details")}</h2>
            <dl className="fields">
              {DETAILS.map((name) => {
                const info = fields.get(name);
                return info ? <Field key={name} record={account} info={info} /> : null;
              })}
            </dl>
          </section>
          <Notes account={account} />
          <Timeline accountId={id} />
        </div>
        <div className="account-side">
          <Contacts accountId={id} />
          <Deals accountId={id} />
          <Quotes accountId={id} />
          <Tasks accountId={id} />
          <AccountCases schema={schema} accountId={id} />
          <AccountLeads accountId={id} />
        </div>
      </div>
      <History id={id} />
    </article>
  );
}

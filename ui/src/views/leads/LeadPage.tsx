/**
 * A lead's page: its fields (edited where they are shown, conflicts on the field), its
 * history, and either the way to convert it (`ConvertLead`) or, once converted, links to
 * the account, contact and deal it became.
 */

import { useQuery } from "@tanstack/react-query";
import { ArrowLeft } from "lucide-react";
import { errorMessage } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { href, recordHref } from "../../shell/routes";
import { History } from "../account/History";
import { Field } from "../records/Field";
import { choiceLabel } from "../records/labels";
import { fieldsOf, useSchema } from "../records/schema";
import { ConvertLead } from "./ConvertLead";
import { Disqualify } from "./Disqualify";
import { str } from "./Leads";

/** The fields shown under "Details", in this order (the name is the page's title too). */
const DETAILS = ["name", "company", "title", "phone", "email", "source", "status", "disqualify_reason"];

function Became({ kind, id }: { kind: "account" | "contact" | "opportunity"; id: string }) {
  const { t } = useI18n();
  const api = useApi();
  const record = useQuery({ queryKey: queryKeys.record(id), queryFn: () => api.getRecord(id) });
  const account = kind === "account" ? id : record.data ? str(record.data, "account_id") : null;
  const link = kind === "opportunity" ? recordHref("opportunity", id) : recordHref("account", account ?? id);
  const label = { account: "field.account", contact: "field.contact", opportunity: "field.opportunity" } as const;
  return (
    <li className="row">
      <span className="muted">{t(label[kind])}</span>
      <a href={link} data-became={kind}>
        {record.data?.title ?? "…"}
      </a>
    </li>
  );
}

export function LeadPage({ id }: { id: string }) {
  const { t, fmt } = useI18n();
  const api = useApi();
  const schema = useSchema();
  const record = useQuery({ queryKey: queryKeys.record(id), queryFn: () => api.getRecord(id) });
  const fields = fieldsOf(schema, "lead");
  const lead = record.data;

  if (record.isError) {
    return (
      <section>
        <a href={href("leads")}>{t("leads.back")}</a>
        <p className="error" role="alert">
          {errorMessage(record.error)}
        </p>
      </section>
    );
  }
  if (!lead || !schema) return <p className="muted">{t("app.loading")}</p>;
  const status = str(lead, "status");
  const account = str(lead, "account_id");
  const contact = str(lead, "contact_id");
  const deal = str(lead, "opportunity_id");
  const convertedAt = str(lead, "converted_at");

  return (
    <article className="lead-page" aria-labelledby="lead-title" data-id={id}>
      <nav className="crumbs" aria-label={t("account.crumbs")}>
        <a href={href("leads")}>
          <ArrowLeft aria-hidden="true" size={16} />
          {t("nav.leads")}
        </a>
      </nav>
      <div className="screen-head">
        <h1 id="lead-title">{lead.title}</h1>
        {status && (
          <span className={`chip status-${status}`} data-testid="lead-status" data-status={status}>
            {choiceLabel(t, "status", status)}
          </span>
        )}
      </div>
      <div className="account-grid">
        <div className="account-main">
          <section className="panel" aria-labelledby="lead-details-title">
            <h2 id="lead-details-title">{t("account.details")}</h2>
            <dl className="fields">
              {DETAILS.map((name) => {
                const info = fields.get(name);
                return info ? <Field key={name} record={lead} info={info} /> : null;
              })}
            </dl>
          </section>
        </div>
        <div className="account-side">
          {status === "converted" && account ? (
            <section className="panel" aria-labelledby="became-title" data-testid="converted">
              <h2 id="became-title">{t("leads.became")}</h2>
              {convertedAt && <p className="muted">{t("leads.convertedAt", { date: fmt.dateTime(convertedAt) })}</p>}
              <ul className="list">
                <Became kind="account" id={account} />
                {contact && <Became kind="contact" id={contact} />}
                {deal && <Became kind="opportunity" id={deal} />}
              </ul>
            </section>
          ) : (
            <>
              <ConvertLead lead={lead} />
              {status !== "disqualified" && <Disqualify lead={lead} />}
            </>
          )}
        </div>
      </div>
      <History id={id} kind="lead" />
    </article>
  );
}

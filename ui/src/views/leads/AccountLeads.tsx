/**
 * The leads an account came from: a converted lead hangs on the account it became part of,
 * so its page (and its history) stays one click away. Shown only when there is one.
 */

import { useQuery } from "@tanstack/react-query";
import { listQuery } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { recordHref } from "../../shell/routes";
import { choiceLabel } from "../records/labels";
import { str } from "./Leads";

export function AccountLeads({ accountId }: { accountId: string }) {
  const { t } = useI18n();
  const api = useApi();
  const q = { account: accountId, limit: 50 };
  const leads = useQuery({ queryKey: queryKeys.list("lead", q), queryFn: () => api.listRecords("lead", listQuery(q)) });
  const records = leads.data?.records ?? [];
  if (records.length === 0) return null;
  return (
    <section className="panel related" aria-labelledby="account-leads-title" data-section="account-leads-title">
      <h2 id="account-leads-title">{t("leads.fromLeads")}</h2>
      <ul className="list" data-testid="account-leads">
        {records.map((lead) => {
          const status = str(lead, "status");
          return (
            <li key={lead.id} className="row">
              <a href={recordHref("lead", lead.id)}>{lead.title}</a>
              {status && <span className="chip">{choiceLabel(t, "status", status)}</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

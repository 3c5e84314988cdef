/** Stale deals and accounts at risk: the quietest first, each opening its record. */

import { useState } from "react";
import type { StaleDeal, StaleRules } from "../../api/api";
import { useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { recordHref } from "../../shell/routes";
import { choiceLabel } from "../records/labels";
import type { DashboardFilter } from "./filters";
import { Card, Status, useChartWords } from "./parts";
import { useReport } from "./useReport";

/** Rows shown before "and N more". */
const SHOWN = 8;

/** A stale deal's facts, where records have no page of their own (the web page). */
function DealFacts({ deal }: { deal: StaleDeal }) {
  const { t, fmt } = useI18n();
  return (
    <dl className="facts dash-facts" data-testid="deal-facts">
      <dt>{t("field.stage")}</dt>
      <dd>{choiceLabel(t, "stage", deal.stage)}</dd>
      <dt>{t("field.amount")}</dt>
      <dd>{deal.amount ? fmt.money(deal.amount, deal.currency) : "–"}</dd>
      <dt>{t("field.closeDate")}</dt>
      <dd>{deal.close_date ? fmt.date(deal.close_date) : "–"}</dd>
      <dt>{t("dashboard.lastActivity")}</dt>
      <dd>{deal.last_activity ? fmt.date(deal.last_activity) : t("dashboard.never")}</dd>
    </dl>
  );
}

/** A stale deal's name: its page in the app; its facts, unfolded, on the web page. */
function DealName({ deal }: { deal: StaleDeal }) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  if (api.opensRecords) return <a href={recordHref("opportunity", deal.id)}>{deal.name}</a>;
  return (
    <>
      <button type="button" className="plain link-like" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {deal.name}
      </button>
      {open && <DealFacts deal={deal} />}
    </>
  );
}

/** An account's name: its page in the app, plain text on the web page. */
export function AccountName({ id, name }: { id: string; name: string }) {
  const api = useApi();
  return api.opensRecords ? <a href={recordHref("account", id)}>{name}</a> : <span className="row-title">{name}</span>;
}

export function StaleCards({ filter, today, rules }: { filter: DashboardFilter; today: Date; rules: StaleRules }) {
  const { t, fmt } = useI18n();
  const words = useChartWords(filter.money.currency);
  // Staleness is about now: the period does not apply, the rep does.
  const report = useReport({ report: "stale", rules }, { ...filter, period: "all" }, today);
  const deals = report.data?.deals ?? [];
  const accounts = report.data?.accounts ?? [];
  const status = (empty: boolean) => (
    <Status pending={report.isPending} error={report.error} empty={!report.isPending && empty} />
  );
  return (
    <>
      <Card id="stale" title={t("dashboard.stale")} hint={t("dashboard.staleHint", { days: rules.deal_days })}>
        {status(deals.length === 0)}
        <ul className="list" data-testid="stale-deals">
          {deals.slice(0, SHOWN).map((d) => (
            <li key={d.id} className="row" data-id={d.id}>
              <DealName deal={d} />
              <span className="row-meta">
                <span className="chip">{words.stage(d.stage)}</span>
                <span>{d.owner}</span>
                {d.amount && <span className="money">{fmt.money(d.amount, d.currency)}</span>}
                <span className="muted">{t("dashboard.quiet", { count: d.days_quiet })}</span>
                {d.overdue && <span className="chip warn">{t("dashboard.overdue")}</span>}
              </span>
            </li>
          ))}
        </ul>
        {deals.length > SHOWN && <p className="muted">{t("dashboard.more", { count: deals.length - SHOWN })}</p>}
      </Card>
      <Card id="at-risk" title={t("dashboard.atRisk")} hint={t("dashboard.atRiskHint", { days: rules.account_days })}>
        {status(accounts.length === 0)}
        <ul className="list" data-testid="accounts-at-risk">
          {accounts.slice(0, SHOWN).map((a) => (
            <li key={a.id} className="row" data-id={a.id}>
              <AccountName id={a.id} name={a.name} />
              <span className="row-meta">
                <span>{a.owner}</span>
                <span className="muted">{t("dashboard.quiet", { count: a.days_quiet })}</span>
              </span>
            </li>
          ))}
        </ul>
        {accounts.length > SHOWN && <p className="muted">{t("dashboard.more", { count: accounts.length - SHOWN })}</p>}
      </Card>
    </>
  );
}

/** Stale deals and accounts at risk: the quietest first, each opening its record. */

import type { StaleRules } from "../../api/api";
import { useI18n } from "../../i18n/I18n";
import { recordHref } from "../../shell/routes";
import type { DashboardFilter } from "./filters";
import { Card, Status, useChartWords } from "./parts";
import { useReport } from "./useReport";

/** Rows shown before "and N more". */
const SHOWN = 8;

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
              <a href={recordHref("opportunity", d.id)}>{d.name}</a>
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
              <a href={recordHref("account", a.id)}>{a.name}</a>
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

/** Customer value: the R × F grid of scored accounts; choosing a cell lists its accounts. */

import { useCallback, useMemo, useState } from "react";
import type { RfmRules } from "../../api/api";
import type { Key } from "../../i18n/en";
import { useI18n } from "../../i18n/I18n";
import { Chart } from "./Chart";
import type { DashboardFilter } from "./filters";
import { rfmGrid } from "./options";
import { Card, Status, useChartWords } from "./parts";
import { AccountName } from "./StaleCards";
import { useReport } from "./useReport";

const SEGMENTS: Readonly<Record<string, Key>> = {
  mvc: "segment.mvc",
  mgc: "segment.mgc",
  at_risk: "segment.at_risk",
  low_value: "segment.low_value",
};

export function RfmCard({ filter, today, rules }: { filter: DashboardFilter; today: Date; rules: RfmRules }) {
  const { t, fmt } = useI18n();
  const words = useChartWords(filter.money.currency);
  // RFM has its own window (the rules'): the period does not apply.
  const report = useReport({ report: "rfm", rules }, { ...filter, period: "all" }, today);
  const [chosen, setChosen] = useState<number | null>(null);
  const accounts = report.data?.accounts ?? [];
  const option = useMemo(() => rfmGrid(accounts, chosen, words), [accounts, chosen, words]);
  const pick = useCallback((i: number) => setChosen((c) => (c === i ? null : i)), []);
  const r = chosen === null ? 0 : (chosen % 5) + 1;
  const f = chosen === null ? 0 : Math.floor(chosen / 5) + 1;
  const inCell = accounts.filter((a) => a.r === r && a.f === f);
  const currency = report.data?.currency ?? filter.money.currency;
  const segment = (s: string) => {
    const key = SEGMENTS[s];
    return key ? t(key) : s;
  };
  return (
    <Card id="rfm" title={t("dashboard.rfm")} hint={t("dashboard.rfmHint")}>
      <Status pending={report.isPending} error={report.error} empty={!report.isPending && accounts.length === 0} />
      {accounts.length > 0 && (
        <Chart option={option} label={t("dashboard.rfm")} height={260} onPick={pick} testId="rfm-chart" />
      )}
      {report.data && report.data.unscored > 0 && (
        <p className="muted">{t("dashboard.unscored", { count: report.data.unscored })}</p>
      )}
      {chosen !== null && (
        <div data-testid="rfm-accounts">
          <h3>{t("dashboard.rfmChosen", { r, f })}</h3>
          <ul className="list">
            {inCell.map((a) => (
              <li key={a.id} className="row" data-id={a.id}>
                <AccountName id={a.id} name={a.name} />
                <span className="row-meta">
                  <span className="chip">{segment(a.segment)}</span>
                  <span>{a.owner}</span>
                  <span className="muted" title={t("dashboard.scores")}>
                    {`R${a.r} F${a.f} M${a.m}`}
                  </span>
                  <span className="money" title={t("dashboard.monetary")}>
                    {fmt.money(a.monetary, currency)}
                  </span>
                </span>
              </li>
            ))}
          </ul>
          {inCell.length === 0 && <p className="muted">{t("dashboard.none")}</p>}
        </div>
      )}
    </Card>
  );
}

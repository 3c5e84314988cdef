/** The dashboard's chart cards: pipeline, forecast, win rates, activities. */

import type { UseQueryResult } from "@tanstack/react-query";
import { useMemo } from "react";
import { useI18n } from "../../i18n/I18n";
import { Chart } from "./Chart";
import type { DashboardFilter } from "./filters";
import { activityBars, amountIn, forecastBars, pipelineFunnel, winRateBars } from "./options";
import { Card, Status, useChartWords } from "./parts";
import { type ReportOf, useReport } from "./useReport";

export function PipelineCard({ report, currency }: { report: UseQueryResult<ReportOf<"pipeline">>; currency: string }) {
  const { t, fmt } = useI18n();
  const words = useChartWords(currency);
  const rows = report.data?.rows ?? [];
  const option = useMemo(() => pipelineFunnel(rows, currency, words), [rows, currency, words]);
  const empty = rows.every((r) => r.count === 0);
  return (
    <Card id="pipeline" title={t("dashboard.pipeline")}>
      <Status pending={report.isPending} error={report.error} empty={!report.isPending && empty} />
      {!empty && (
        <>
          <Chart option={option} label={t("dashboard.pipeline")} height={220} testId="pipeline-chart" />
          <ul className="list dash-rows" data-testid="pipeline-rows">
            {rows.map((r) => (
              <li key={r.group} className="row" data-stage={r.group}>
                <span className="row-title">
                  {words.stage(r.group)} <span className="muted">{t("dashboard.deals", { count: r.count })}</span>
                </span>
                <span className="row-meta">
                  <span className="money">{fmt.money(amountIn(r.amount, currency), currency)}</span>
                  <span className="muted money">
                    {t("dashboard.weighted", { amount: fmt.money(amountIn(r.weighted, currency), currency) })}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}

export function ForecastCard({ filter, today }: { filter: DashboardFilter; today: Date }) {
  const { t } = useI18n();
  const currency = filter.money.currency;
  const words = useChartWords(currency);
  const report = useReport({ report: "forecast", by: "month" }, filter, today);
  const periods = report.data?.periods ?? [];
  const option = useMemo(() => forecastBars(periods, currency, words), [periods, currency, words]);
  return (
    <Card id="forecast" title={t("dashboard.forecast")}>
      <Status pending={report.isPending} error={report.error} empty={!report.isPending && periods.length === 0} />
      {periods.length > 0 && (
        <Chart option={option} label={t("dashboard.forecast")} height={280} testId="forecast-chart" />
      )}
    </Card>
  );
}

export function WinRateCard({ filter, today }: { filter: DashboardFilter; today: Date }) {
  const { t } = useI18n();
  const words = useChartWords(filter.money.currency);
  const report = useReport({ report: "winrate" }, filter, today);
  const owners = report.data?.owners ?? [];
  const option = useMemo(() => winRateBars(owners, words), [owners, words]);
  return (
    <Card id="winrate" title={t("dashboard.winrate")}>
      <Status pending={report.isPending} error={report.error} empty={!report.isPending && owners.length === 0} />
      {owners.length > 0 && (
        <Chart
          option={option}
          label={t("dashboard.winrate")}
          height={Math.max(120, 40 + owners.length * 34)}
          testId="winrate-chart"
        />
      )}
    </Card>
  );
}

export function ActivityCard({ filter, today }: { filter: DashboardFilter; today: Date }) {
  const { t } = useI18n();
  const words = useChartWords(filter.money.currency);
  const report = useReport({ report: "activity" }, filter, today);
  const weeks = report.data?.weeks ?? [];
  const option = useMemo(() => activityBars(weeks, words), [weeks, words]);
  return (
    <Card id="activity" title={t("dashboard.activity")}>
      <Status pending={report.isPending} error={report.error} empty={!report.isPending && weeks.length === 0} />
      {weeks.length > 0 && (
        <Chart option={option} label={t("dashboard.activity")} height={280} testId="activity-chart" />
      )}
    </Card>
  );
}

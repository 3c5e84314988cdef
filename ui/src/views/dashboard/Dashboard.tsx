/**
 * The team dashboard (managers and admins): the open pipeline as a funnel, the forecast by
 * month, win rates per rep, customer value (the RFM grid; a cell lists its accounts), stale
 * deals and accounts at risk (each opening its record), activities per rep per week. Every
 * figure is computed by Rust over this device's copy (offline); this screen only draws and
 * formats them. Filters: rep, period, and money (one currency, or converted).
 */

import { useQuery } from "@tanstack/react-query";
import { ArrowRightLeft } from "lucide-react";
import { useMemo, useState } from "react";
import type { ReportSettings } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { href } from "../../shell/routes";
import { ActivityCard, ForecastCard, PipelineCard, WinRateCard } from "./Cards";
import { DevicesCard } from "./DevicesCard";
import {
  type DashboardFilter,
  leftApart,
  moneyChoices,
  moneyKey,
  PERIOD_LABELS,
  PERIODS,
  type PeriodPreset,
  parseMoneyKey,
} from "./filters";
import { Status } from "./parts";
import { RfmCard } from "./RfmCard";
import { StaleCards } from "./StaleCards";
import { useReport } from "./useReport";

function Filters({
  filter,
  onChange,
  settings,
  seen,
}: {
  filter: DashboardFilter;
  onChange: (f: DashboardFilter) => void;
  settings: ReportSettings;
  seen: string[];
}) {
  const { t } = useI18n();
  const api = useApi();
  const owners = useQuery({ queryKey: queryKeys.accountOwners, queryFn: () => api.accountOwners() });
  const choices = moneyChoices(settings.default_currency, seen, settings.rates?.base ?? null);
  return (
    <fieldset className="dash-filters">
      <legend className="visually-hidden">{t("dashboard.filters")}</legend>
      <label>
        <span>{t("dashboard.owner")}</span>
        <select
          name="owner"
          value={filter.owner ?? ""}
          onChange={(e) => onChange({ ...filter, owner: e.target.value || null })}
        >
          <option value="">{t("dashboard.everyone")}</option>
          {(owners.data ?? []).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t("dashboard.period")}</span>
        <select
          name="period"
          value={filter.period}
          onChange={(e) => onChange({ ...filter, period: e.target.value as PeriodPreset })}
        >
          {PERIODS.map((p) => (
            <option key={p} value={p}>
              {t(PERIOD_LABELS[p])}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t("dashboard.money")}</span>
        <select
          name="money"
          value={moneyKey(filter.money)}
          onChange={(e) => {
            const money = parseMoneyKey(e.target.value);
            if (money) onChange({ ...filter, money });
          }}
        >
          {choices.map((m) => (
            <option key={moneyKey(m)} value={moneyKey(m)}>
              {m.mode === "each"
                ? t("dashboard.money.each", { currency: m.currency })
                : t("dashboard.money.converted", { currency: m.currency })}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}

function Board({ settings }: { settings: ReportSettings }) {
  const { t } = useI18n();
  const today = useMemo(() => new Date(), []);
  const [filter, setFilter] = useState<DashboardFilter>({
    owner: null,
    period: "all",
    money: { mode: "each", currency: settings.default_currency },
  });
  // The currencies the open deals are in (per currency, whatever is shown).
  const perCurrency = useReport(
    { report: "pipeline", by: "stage" },
    { ...filter, money: { mode: "each", currency: settings.default_currency } },
    today,
  );
  const seen = Object.keys(perCurrency.data?.total.amount ?? {}).sort();
  const pipeline = useReport({ report: "pipeline", by: "stage" }, filter, today);
  const apart = pipeline.data ? leftApart(pipeline.data.currencies, seen, filter.money.currency) : [];
  return (
    <>
      <Filters filter={filter} onChange={setFilter} settings={settings} seen={seen} />
      {apart.length > 0 && (
        <p className="muted dash-note" data-testid="money-note">
          {filter.money.mode === "converted"
            ? t("dashboard.unconverted", { currencies: apart.join(", ") })
            : t("dashboard.otherCurrencies", { currencies: apart.join(", ") })}
        </p>
      )}
      <div className="dash-grid">
        <PipelineCard report={pipeline} currency={filter.money.currency} />
        <ForecastCard filter={filter} today={today} />
        <WinRateCard filter={filter} today={today} />
        <RfmCard filter={filter} today={today} rules={settings.rfm} />
        <StaleCards filter={filter} today={today} rules={settings.stale} />
        <ActivityCard filter={filter} today={today} />
        <DevicesCard owner={filter.owner} />
      </div>
    </>
  );
}

export function Dashboard() {
  const { t } = useI18n();
  const api = useApi();
  const settings = useQuery({ queryKey: queryKeys.reportSettings, queryFn: () => api.reportSettings() });
  return (
    <section aria-labelledby="team-title" className="dashboard">
      <div className="screen-head">
        <h1 id="team-title">{t("dashboard.title")}</h1>
        <a className="button-link" href={href("handover")}>
          <ArrowRightLeft aria-hidden="true" size={16} />
          {t("handover.title")}
        </a>
      </div>
      <p className="muted">{api.local ? t("dashboard.source") : t("dashboard.sourceServer")}</p>
      <Status pending={settings.isPending} error={settings.error} empty={false} />
      {settings.data && <Board settings={settings.data} />}
    </section>
  );
}

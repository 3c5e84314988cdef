/**
 * The dashboard's filters (rep, period, money) and the report requests they make. Periods
 * are calendar days of the user's own calendar; the money choice is one currency as it is
 * (`each`: Rust keeps sums per currency, the chart shows this one) or every amount converted
 * into a base currency with the store's rates (`converted`).
 */

import type { Currencies, ReportFilter, ReportKind, ReportRequest } from "../../api/api";
import type { Key } from "../../i18n/en";
import { localDay } from "../records/day";

export const PERIODS = ["all", "quarter", "year", "last12"] as const;
export type PeriodPreset = (typeof PERIODS)[number];

export const PERIOD_LABELS: Readonly<Record<PeriodPreset, Key>> = {
  all: "dashboard.period.all",
  quarter: "dashboard.period.quarter",
  year: "dashboard.period.year",
  last12: "dashboard.period.last12",
};

export type Money = { mode: "each" | "converted"; currency: string };

export interface DashboardFilter {
  /** One rep, or everyone (`null`). */
  owner: string | null;
  period: PeriodPreset;
  money: Money;
}

/** First and last day of a preset period around `today`. */
export function periodRange(preset: PeriodPreset, today: Date): { from: string | null; to: string | null } {
  const y = today.getFullYear();
  const m = today.getMonth();
  switch (preset) {
    case "all":
      return { from: null, to: null };
    case "quarter": {
      const first = m - (m % 3);
      return { from: localDay(new Date(y, first, 1)), to: localDay(new Date(y, first + 3, 0)) };
    }
    case "year":
      return { from: localDay(new Date(y, 0, 1)), to: localDay(new Date(y, 11, 31)) };
    case "last12":
      return { from: localDay(new Date(y - 1, m, today.getDate() + 1)), to: localDay(today) };
  }
}

export function reportFilter(f: DashboardFilter, today: Date): ReportFilter {
  return { owners: f.owner === null ? null : [f.owner], ...periodRange(f.period, today) };
}

/** The request for one report under the filters. */
export function request(kind: ReportKind, f: DashboardFilter, today: Date): ReportRequest {
  return {
    kind,
    filter: reportFilter(f, today),
    currency: f.money.mode === "converted" ? f.money.currency : null,
    today: localDay(today),
  };
}

/** The money choices: each currency seen alone, and converted into the rates' base. */
export function moneyChoices(defaultCurrency: string, seen: string[], ratesBase: string | null): Money[] {
  const each = [...new Set([defaultCurrency, ...seen])].map((currency): Money => ({ mode: "each", currency }));
  return ratesBase ? [...each, { mode: "converted", currency: ratesBase }] : each;
}

export function moneyKey(m: Money): string {
  return `${m.mode}:${m.currency}`;
}

export function parseMoneyKey(key: string): Money | null {
  const [mode, currency] = key.split(":");
  return (mode === "each" || mode === "converted") && currency && /^[A-Z]{3}$/.test(currency)
    ? { mode, currency }
    : null;
}

/** Currencies a report kept apart from the one shown (no rate, or shown one at a time). */
export function leftApart(currencies: Currencies, seen: string[], shown: string): string[] {
  if (currencies.mode === "converted") return currencies.unconverted;
  return seen.filter((c) => c !== shown);
}

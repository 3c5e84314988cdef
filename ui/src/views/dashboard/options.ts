/**
 * The dashboard's charts as ECharts options, built from Rust's reports. Pure functions, so
 * they are tested without a window. Money stays an exact decimal string from Rust: a
 * chart's bar length is the number the string reads as (geometry only), and every figure a
 * person reads — labels, tooltips — is the string formatted for the locale.
 */

import type { BarSeriesOption, FunnelSeriesOption, HeatmapSeriesOption } from "echarts/charts";
import type {
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from "echarts/components";
import type { ComposeOption } from "echarts/core";
import type { ActivityWeek, ForecastPeriod, PipelineRow, RfmAccount, WinRate } from "../../api/api";

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | FunnelSeriesOption
  | HeatmapSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>;

/** Sums per currency as Rust sends them. */
export type Amounts = Partial<Record<string, string>>;

/** The sum in `currency` (an exact decimal string; "0" when there is none). */
export function amountIn(amounts: Amounts, currency: string): string {
  return amounts[currency] ?? "0";
}

/** The length a bar gets for an exact decimal string: its value as a number, for drawing only. */
export function magnitude(decimal: string): number {
  const n = Number(decimal);
  return Number.isFinite(n) ? n : 0;
}

/** How the charts write what they show, for the current language. */
export interface ChartWords {
  money: (amount: string) => string;
  /** An axis tick (a plain number the chart chose), short. */
  tick: (n: number) => string;
  count: (n: number) => string;
  percent: (points: string) => string;
  stage: (stage: string) => string;
  deals: (count: number) => string;
  closed: string;
  commit: string;
  bestCase: string;
  wonLost: (won: number, lost: number) => string;
  recency: string;
  frequency: string;
  cell: (r: number, f: number, count: number) => string;
}

const COLORS = ["#2563eb", "#0d9488", "#d97706", "#7c3aed", "#db2777", "#65a30d", "#0891b2", "#dc2626"];

const tooltip = (formatter: (index: number, seriesIndex: number) => string): TooltipComponentOption => ({
  trigger: "item",
  confine: true,
  formatter: (p: unknown) => {
    const { dataIndex, seriesIndex } = p as { dataIndex: number; seriesIndex?: number };
    return formatter(dataIndex, seriesIndex ?? 0);
  },
});

/** The open pipeline as a funnel of its stages, widths by amount in `currency`. */
export function pipelineFunnel(rows: PipelineRow[], currency: string, w: ChartWords): ChartOption {
  const max = Math.max(1, ...rows.map((r) => magnitude(amountIn(r.amount, currency))));
  return {
    color: COLORS,
    tooltip: tooltip((i) => {
      const r = rows[i];
      return r ? `${w.stage(r.group)}<br/>${w.deals(r.count)}<br/>${w.money(amountIn(r.amount, currency))}` : "";
    }),
    series: [
      {
        type: "funnel",
        sort: "none",
        min: 0,
        max,
        minSize: "18%",
        left: "4%",
        right: "4%",
        top: 8,
        bottom: 8,
        gap: 3,
        label: { position: "inside", color: "#fff", overflow: "truncate" },
        data: rows.map((r) => ({
          name: `${w.stage(r.group)} · ${w.count(r.count)}`,
          value: magnitude(amountIn(r.amount, currency)),
        })),
      },
    ],
  };
}

const grid = (left: number): GridComponentOption => ({ left, right: 12, top: 36, bottom: 28, containLabel: false });

/** Every month from the first period to the last (`2026-11`), so months without deals show as gaps. */
export function monthsBetween(first: string, last: string): string[] {
  const parse = (m: string) => {
    const [y = "0", mo = "1"] = m.split("-");
    return Number(y) * 12 + Number(mo) - 1;
  };
  const [a, b] = [parse(first), parse(last)];
  if (!/^\d{4}-\d{2}$/.test(first) || !/^\d{4}-\d{2}$/.test(last) || b < a || b - a > 240) return [];
  return Array.from({ length: b - a + 1 }, (_, i) => {
    const n = a + i;
    return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, "0")}`;
  });
}

/** The forecast's months with the ones between them that had no deal (empty). */
export function fillMonths(periods: ForecastPeriod[]): ForecastPeriod[] {
  const first = periods[0];
  const last = periods[periods.length - 1];
  if (!first || !last) return periods;
  const months = monthsBetween(first.period, last.period);
  if (months.length === 0) return periods;
  const held = new Map(periods.map((p) => [p.period, p]));
  return months.map((m) => held.get(m) ?? { period: m, closed: {}, commit: {}, best_case: {}, deals: 0 });
}

/** Closed, commit and best case per month, side by side. */
export function forecastBars(given: ForecastPeriod[], currency: string, w: ChartWords): ChartOption {
  const periods = fillMonths(given);
  const parts: [string, (p: ForecastPeriod) => string][] = [
    [w.closed, (p) => amountIn(p.closed, currency)],
    [w.commit, (p) => amountIn(p.commit, currency)],
    [w.bestCase, (p) => amountIn(p.best_case, currency)],
  ];
  return {
    color: ["#0d9488", "#2563eb", "#93c5fd"],
    legend: { top: 0, itemWidth: 12, itemHeight: 10 },
    grid: grid(64),
    tooltip: tooltip((i, s) => {
      const p = periods[i];
      const part = parts[s];
      return p && part ? `${p.period}<br/>${part[0]}: ${w.money(part[1](p))}` : "";
    }),
    xAxis: { type: "category", data: periods.map((p) => p.period) },
    yAxis: { type: "value", axisLabel: { formatter: (n: number) => w.tick(n) } },
    series: parts.map(([name, pick]) => ({
      type: "bar",
      name,
      data: periods.map((p) => magnitude(pick(p))),
    })),
  };
}

/** Each rep's win rate by count, 0–100 %. */
export function winRateBars(owners: WinRate[], w: ChartWords): ChartOption {
  return {
    color: COLORS,
    grid: { left: 8, right: 48, top: 8, bottom: 24, containLabel: true },
    tooltip: tooltip((i) => {
      const o = owners[i];
      return o ? `${o.owner}<br/>${w.percent(o.rate_by_count)}<br/>${w.wonLost(o.won, o.lost)}` : "";
    }),
    xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: (n: number) => w.percent(String(n)) } },
    yAxis: { type: "category", data: owners.map((o) => o.owner), inverse: true },
    series: [
      {
        type: "bar",
        data: owners.map((o) => magnitude(o.rate_by_count)),
        label: {
          show: true,
          position: "right",
          formatter: (p: unknown) => {
            const o = owners[(p as { dataIndex: number }).dataIndex];
            return o ? w.percent(o.rate_by_count) : "";
          },
        },
      },
    ],
  };
}

/** Accounts per (R, F) cell: index `(f - 1) * 5 + (r - 1)`. */
export function rfmCells(accounts: RfmAccount[]): number[] {
  const cells = Array.from({ length: 25 }, () => 0);
  for (const a of accounts) {
    const i = (a.f - 1) * 5 + (a.r - 1);
    if (i >= 0 && i < 25) cells[i] = (cells[i] ?? 0) + 1;
  }
  return cells;
}

/** The R × F grid: each cell's count of accounts, darker with more. */
export function rfmGrid(accounts: RfmAccount[], chosen: number | null, w: ChartWords): ChartOption {
  const cells = rfmCells(accounts);
  const scores = ["1", "2", "3", "4", "5"];
  return {
    grid: { left: 40, right: 8, top: 8, bottom: 44 },
    tooltip: tooltip((i) => w.cell((i % 5) + 1, Math.floor(i / 5) + 1, cells[i] ?? 0)),
    xAxis: {
      type: "category",
      data: scores,
      name: w.recency,
      nameLocation: "middle",
      nameGap: 26,
      splitArea: { show: true },
    },
    yAxis: {
      type: "category",
      data: scores,
      name: w.frequency,
      nameLocation: "middle",
      nameGap: 26,
      splitArea: { show: true },
    },
    visualMap: {
      show: false,
      min: 0,
      max: Math.max(1, ...cells),
      inRange: { color: ["#eff6ff", "#1d4ed8"] },
    },
    series: [
      {
        type: "heatmap",
        data: cells.map((n, i) => ({
          value: [i % 5, Math.floor(i / 5), n],
          itemStyle:
            i === chosen ? { borderColor: "#f59e0b", borderWidth: 3 } : { borderColor: "#fff", borderWidth: 1 },
        })),
        label: { show: true, formatter: (p: unknown) => w.count(cells[(p as { dataIndex: number }).dataIndex] ?? 0) },
      },
    ],
  };
}

/** The latest `weeks` weeks of activities, one stacked bar per week, a colour per rep. */
export function activityBars(rows: ActivityWeek[], w: ChartWords, weeks = 12): ChartOption {
  const allWeeks = [...new Set(rows.map((r) => r.week))].sort();
  const shown = allWeeks.slice(-weeks);
  const owners = [...new Set(rows.map((r) => r.owner))].sort();
  const total = new Map(rows.map((r) => [`${r.owner}|${r.week}`, r.total]));
  return {
    color: COLORS,
    legend: { top: 0, type: "scroll", itemWidth: 12, itemHeight: 10 },
    grid: grid(40),
    tooltip: tooltip((i, s) => {
      const owner = owners[s] ?? "";
      const week = shown[i] ?? "";
      return `${owner}<br/>${week}: ${w.count(total.get(`${owner}|${week}`) ?? 0)}`;
    }),
    xAxis: { type: "category", data: shown.map((wk) => wk.replace(/^\d{4}-/, "")) },
    yAxis: { type: "value", minInterval: 1, axisLabel: { formatter: (n: number) => w.tick(n) } },
    series: owners.map((owner) => ({
      type: "bar",
      name: owner,
      stack: "all",
      data: shown.map((wk) => total.get(`${owner}|${wk}`) ?? 0),
    })),
  };
}

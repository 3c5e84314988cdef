import { describe, expect, it } from "vitest";
import type { ActivityWeek, DeviceStatus, MemberStatus, RfmAccount, RiskWarning, TeamStatus } from "../../api/api";
import { devicesByRisk } from "./DevicesCard";
import { leftApart, moneyChoices, moneyKey, parseMoneyKey, periodRange, request } from "./filters";
import { activityBars, amountIn, fillMonths, magnitude, monthsBetween, rfmCells } from "./options";

const account = (r: number, f: number): RfmAccount => ({
  id: "00000000-0000-4000-8000-000000000001",
  name: "青岛啤酒",
  owner: "wang",
  last_won: "2026-10-01",
  recency_days: 61,
  frequency: 2,
  monetary: "1200.00",
  r,
  f,
  m: 3,
  segment: "mgc",
});

describe("periods", () => {
  const today = new Date(2026, 10, 15); // 15 November 2026, local time

  it("are calendar days around today", () => {
    expect(periodRange("all", today)).toEqual({ from: null, to: null });
    expect(periodRange("quarter", today)).toEqual({ from: "2026-10-01", to: "2026-12-31" });
    expect(periodRange("year", today)).toEqual({ from: "2026-01-01", to: "2026-12-31" });
    expect(periodRange("last12", today)).toEqual({ from: "2025-11-16", to: "2026-11-15" });
  });

  it("make a request with the rep, the period and the money", () => {
    const req = request(
      { report: "winrate" },
      { owner: "wang", period: "quarter", money: { mode: "converted", currency: "CNY" } },
      today,
    );
    expect(req).toEqual({
      kind: { report: "winrate" },
      filter: { owners: ["wang"], from: "2026-10-01", to: "2026-12-31" },
      currency: "CNY",
      today: "2026-11-15",
    });
    const each = request(
      { report: "activity" },
      { owner: null, period: "all", money: { mode: "each", currency: "EUR" } },
      today,
    );
    expect(each.currency).toBeNull();
    expect(each.filter.owners).toBeNull();
  });
});

describe("money choices", () => {
  it("offer each currency seen, the default first, and converted when rates exist", () => {
    expect(moneyChoices("CNY", ["CNY", "USD"], null).map(moneyKey)).toEqual(["each:CNY", "each:USD"]);
    expect(moneyChoices("CNY", ["EUR"], "CNY").map(moneyKey)).toEqual(["each:CNY", "each:EUR", "converted:CNY"]);
  });

  it("read back only what they wrote", () => {
    expect(parseMoneyKey("converted:CNY")).toEqual({ mode: "converted", currency: "CNY" });
    expect(parseMoneyKey("each:cny")).toBeNull();
    expect(parseMoneyKey("sum:CNY")).toBeNull();
  });

  it("say which currencies are left apart", () => {
    expect(leftApart({ mode: "per_currency" }, ["CNY", "USD"], "CNY")).toEqual(["USD"]);
    expect(
      leftApart({ mode: "converted", base: "CNY", rates: { USD: "7.1" }, unconverted: ["JPY"] }, [], "CNY"),
    ).toEqual(["JPY"]);
  });
});

describe("charts", () => {
  it("take exact strings for geometry only, and a missing currency as zero", () => {
    expect(amountIn({ CNY: "1234.50" }, "CNY")).toBe("1234.50");
    expect(amountIn({ CNY: "1234.50" }, "USD")).toBe("0");
    expect(magnitude("1234.50")).toBe(1234.5);
    expect(magnitude("not a number")).toBe(0);
  });

  it("show every month between the first and the last forecast period", () => {
    expect(monthsBetween("2026-11", "2027-02")).toEqual(["2026-11", "2026-12", "2027-01", "2027-02"]);
    expect(monthsBetween("2026-Q4", "2027-Q1")).toEqual([]);
    const p = (period: string) => ({ period, closed: { CNY: "1.00" }, commit: {}, best_case: {}, deals: 1 });
    expect(fillMonths([p("2026-11"), p("2027-01")]).map((x) => [x.period, x.deals])).toEqual([
      ["2026-11", 1],
      ["2026-12", 0],
      ["2027-01", 1],
    ]);
  });

  it("count accounts per RFM cell, R across and F up", () => {
    const cells = rfmCells([account(1, 1), account(5, 1), account(5, 5), account(5, 5)]);
    expect(cells[0]).toBe(1);
    expect(cells[4]).toBe(1);
    expect(cells[24]).toBe(2);
    expect(cells.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it("stack the latest weeks of activities, one series per rep", () => {
    const week = (owner: string, w: string, total: number): ActivityWeek => ({ owner, week: w, by_kind: {}, total });
    const rows = [week("wang", "2026-W01", 3), week("li", "2026-W02", 2), week("wang", "2026-W03", 1)];
    const words = {
      money: String,
      tick: String,
      count: String,
      percent: String,
      stage: String,
      deals: String,
      closed: "",
      commit: "",
      bestCase: "",
      wonLost: () => "",
      recency: "",
      frequency: "",
      cell: () => "",
    };
    const option = activityBars(rows, words, 2);
    const series = option.series as { name: string; data: number[] }[];
    expect(series.map((s) => s.name)).toEqual(["li", "wang"]);
    expect(series.map((s) => s.data)).toEqual([
      [2, 0],
      [0, 1],
    ]);
  });
});

describe("devices", () => {
  const device = (name: string, days: number | null, pending: number, warnings: RiskWarning[]): DeviceStatus => ({
    device_id: `00000000-0000-4000-8000-0000000000${String(name.length).padStart(2, "0")}`,
    name,
    last_sync: days === null ? null : "2026-11-28T11:00:00Z",
    days_since_sync: days,
    pending,
    wiped: false,
    warnings,
  });
  const member = (user: string, devices: DeviceStatus[]): MemberStatus => ({
    user,
    role: "rep",
    team: "east",
    active: true,
    successor: null,
    accounts: 1,
    records: 1,
    devices,
  });
  const team: TeamStatus = {
    as_of: "2026-12-01T12:00:00Z",
    warn_days: 3,
    at_risk: 2,
    members: [
      member("wang", [device("a", 0, 0, []), device("bb", 9, 0, ["not_synced"])]),
      member("li", [device("ccc", 1, 4, ["pending"])]),
    ],
  };

  it("put flagged devices first, unsynced changes before silence", () => {
    expect(devicesByRisk(team, null).map((d) => `${d.user}/${d.name}`)).toEqual(["li/ccc", "wang/bb", "wang/a"]);
  });

  it("keep one rep's devices when the dashboard shows one rep", () => {
    expect(devicesByRisk(team, "wang").map((d) => d.name)).toEqual(["bb", "a"]);
  });
});

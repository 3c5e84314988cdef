import { describe, expect, it } from "vitest";
import { reportPath } from "./http";

describe("report requests over HTTP", () => {
  const filter = { owners: null, from: null, to: null };

  it("carry each report's own settings and the filters as the server reads them", () => {
    expect(reportPath({ kind: { report: "pipeline", by: "stage" }, filter, currency: null, today: null }, null)).toBe(
      "/v1/reports/pipeline?by=stage",
    );
    expect(
      reportPath(
        {
          kind: { report: "stale", rules: { deal_days: 30, account_days: 90 } },
          filter: { owners: ["wang", "li"], from: "2026-01-01", to: "2026-12-31" },
          currency: "CNY",
          today: "2026-12-01",
        },
        null,
      ),
    ).toBe(
      "/v1/reports/stale?days=30&account_days=90&owner=wang%2Cli&from=2026-01-01&to=2026-12-31&today=2026-12-01&currency=CNY",
    );
    expect(reportPath({ kind: { report: "winrate" }, filter, currency: null, today: null }, "CNY")).toBe(
      "/v1/reports/winrate",
    );
  });

  it("give RFM the page's currency when none is asked for", () => {
    const rfm = { report: "rfm" as const, rules: { window_days: 365, segments: [] } };
    expect(reportPath({ kind: rfm, filter, currency: null, today: null }, "CNY")).toBe(
      "/v1/reports/rfm?window_days=365&currency=CNY",
    );
  });
});

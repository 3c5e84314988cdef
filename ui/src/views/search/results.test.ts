import { describe, expect, it } from "vitest";
import type { SearchHit } from "../../api/api";
import { groupByKind } from "./results";

const hit = (kind: SearchHit["kind"], title: string): SearchHit => ({ id: title, kind, title, account_id: null });

describe("groupByKind", () => {
  it("groups in the kinds' order and keeps the ranking within a kind", () => {
    const groups = groupByKind([
      hit("contact", "Li"),
      hit("account", "青岛啤酒"),
      hit("contact", "Wang"),
      hit("task", "Call"),
    ]);
    expect(groups.map(([k, g]) => [k, g.map((h) => h.title)])).toEqual([
      ["account", ["青岛啤酒"]],
      ["contact", ["Li", "Wang"]],
      ["task", ["Call"]],
    ]);
    expect(groupByKind([])).toEqual([]);
  });
});

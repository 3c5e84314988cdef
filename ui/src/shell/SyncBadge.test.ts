import { describe, expect, it } from "vitest";
import type { SyncView } from "../api/api";
import { formatRelative } from "../format/date";
import { type Locale, translate } from "../i18n/translate";
import { describeSync } from "./SyncBadge";

const NOW = new Date("2026-11-05T12:00:00Z");

function i18n(locale: Locale): Parameters<typeof describeSync>[1] {
  return {
    t: (key, params) => translate(locale, key, params),
    fmt: { relative: (t) => formatRelative(t, locale, NOW) },
  };
}

const state = (s: Partial<SyncView>): SyncView => ({
  phase: "idle",
  server: "https://crm.example.com",
  user: "wang",
  role: "rep",
  lastSync: "2026-11-05T11:55:00Z",
  pending: 0,
  problem: null,
  ...s,
});

describe("describeSync", () => {
  it("says a device that never had a server works locally, with what waits", () => {
    expect(describeSync(state({ phase: "local", server: null, user: null, lastSync: null }), i18n("en"))).toEqual([
      "local",
      ["On this device only"],
    ]);
    expect(describeSync(state({ phase: "local", server: null, pending: 2 }), i18n("zh-CN"))).toEqual([
      "local",
      ["仅在本设备", "2 项更改待上传"],
    ]);
  });

  it("puts changes waiting before the last sync", () => {
    expect(describeSync(state({ pending: 1 }), i18n("en"))).toEqual(["waiting", ["1 change waiting"]]);
  });

  it("says when the last sync was", () => {
    expect(describeSync(state({}), i18n("en"))).toEqual(["synced", ["Synced 5 minutes ago"]]);
    expect(describeSync(state({}), i18n("zh-CN"))).toEqual(["synced", ["5分钟前已同步"]]);
    expect(describeSync(state({ lastSync: null }), i18n("en"))).toEqual(["waiting", ["Not synced yet"]]);
  });

  it("says offline with what waits, and syncing", () => {
    expect(describeSync(state({ phase: "offline", pending: 3 }), i18n("en"))).toEqual([
      "offline",
      ["Offline", "3 changes waiting"],
    ]);
    expect(describeSync(state({ phase: "syncing" }), i18n("zh-CN"))).toEqual(["syncing", ["正在同步…"]]);
  });

  it("flags a signed-out device, a failed sync and an unreadable state", () => {
    expect(describeSync(state({ phase: "signedOut", user: null }), i18n("en"))).toEqual(["problem", ["Signed out"]]);
    const refused = state({ problem: { kind: "accessRefused", detail: "", refused: 2 } });
    expect(describeSync(refused, i18n("en"))).toEqual(["problem", ["Sync problem"]]);
    expect(describeSync(undefined, i18n("en"))).toEqual(["problem", ["Sync state unavailable"]]);
  });
});

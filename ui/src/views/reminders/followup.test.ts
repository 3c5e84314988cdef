import { describe, expect, it } from "vitest";
import type { DueReminder, RecordView } from "../../api/api";
import { formatDate } from "../../format/date";
import type { Key } from "../../i18n/en";
import { type Params, translate } from "../../i18n/translate";
import { isOverdue } from "../cases/CaseRow";
import { reminderText } from "./Reminders";

const base = { key: "k", account_id: "a", account: "海尔集团", text: "", due: "2026-12-31", days_left: 30 };

const renewal: DueReminder = {
  ...base,
  reason: { type: "renewal", deal: "d", deal_name: "冷库维保 2026", renewal_date: "2026-12-31" },
};
const reorder: DueReminder = {
  ...base,
  reason: { type: "reorder", every_days: 42, last_won: "2026-10-03", wins: 4 },
};
const lateCase: DueReminder = {
  ...base,
  due: "2026-11-28",
  days_left: -3,
  reason: { type: "overdue_case", case: "c", subject: "Pump leaks", priority: "high", assignee: null },
};

function words(locale: "en" | "zh-CN", r: DueReminder): string {
  const t = (key: Key, params?: Params) => translate(locale, key, params);
  return reminderText(t, (day) => formatDate(day, locale), r);
}

describe("a reminder's reason in words", () => {
  it("says each kind of reminder in English, its days formatted", () => {
    expect(words("en", renewal)).toBe("Renewal of “冷库维保 2026” due Dec 31, 2026");
    expect(words("en", reorder)).toBe("Bought every ~42 days; last Oct 3, 2026");
    expect(words("en", lateCase)).toBe("Case “Pump leaks” (High) was due Nov 28, 2026");
  });

  it("and in Chinese", () => {
    expect(words("zh-CN", renewal)).toBe("“冷库维保 2026”续约到期：2026年12月31日");
    expect(words("zh-CN", reorder)).toBe("约每 42 天采购一次；上次 2026年10月3日");
    expect(words("zh-CN", lateCase)).toBe("服务工单“Pump leaks”（高）已于2026年11月28日到期");
  });
});

function aCase(status: string | null, due: string | null): RecordView {
  const fields: RecordView["fields"] = {};
  if (status) fields.status = status;
  if (due) fields.due = due;
  return {
    id: "c",
    kind: "case",
    title: "Pump leaks",
    fields,
    lines: [],
    totals: null,
    created_at: "2026-11-01T09:00:00Z",
    created_by: "alice",
    updated_at: "2026-11-01T09:00:00Z",
    updated_by: "alice",
    deleted: false,
    owner: "alice",
    has_conflicts: false,
    conflicts: [],
    attention: [],
  };
}

describe("an overdue case", () => {
  const open = ["new", "in_progress", "waiting_on_customer"];
  it("is open and past its due day", () => {
    expect(isOverdue(open, aCase("in_progress", "2026-11-30"), "2026-12-01")).toBe(true);
    expect(isOverdue(open, aCase(null, "2026-11-30"), "2026-12-01")).toBe(true);
  });
  it("is not one due today, without a due day, or resolved", () => {
    expect(isOverdue(open, aCase("new", "2026-12-01"), "2026-12-01")).toBe(false);
    expect(isOverdue(open, aCase("new", null), "2026-12-01")).toBe(false);
    expect(isOverdue(open, aCase("resolved", "2026-11-01"), "2026-12-01")).toBe(false);
  });
});

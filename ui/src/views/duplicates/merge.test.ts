import { describe, expect, it } from "vitest";
import type { FieldInfo, RecordView } from "../../api/api";
import { choicesOf, differingFields } from "./merge";

const field = (name: string, type: "text" | "tags" | "notes" = "text", editable = true): FieldInfo => ({
  name,
  kind: { type },
  required: false,
  editable,
});

const FIELDS = [field("name"), field("phone"), field("city"), field("tags", "tags"), field("notes", "notes")];

function record(id: string, fields: RecordView["fields"]): RecordView {
  return { id, fields } as unknown as RecordView;
}

describe("differingFields", () => {
  const keep = record("a", { name: "青岛啤酒", phone: "0532-1", tags: ["a"], notes: "拜访过", city: "" });
  const other = record("b", { name: "青岛啤酒有限公司", phone: "0532-1", city: "青岛", tags: ["b"], notes: "" });

  it("lists only what differs, with what the merge does unasked", () => {
    const d = differingFields(FIELDS, keep, other);
    expect(d.map((x) => [x.field, x.unasked])).toEqual([
      ["name", "keep"],
      ["city", "other"],
      ["tags", "both"],
    ]);
  });

  it("leaves out fields an edit may not set", () => {
    const d = differingFields([field("name", "text", false)], keep, other);
    expect(d).toEqual([]);
  });

  it("sends only the choices that differ from the unasked outcome", () => {
    const d = differingFields(FIELDS, keep, other);
    expect(choicesOf(d, {})).toEqual([]);
    expect(choicesOf(d, { name: "other", city: "keep", tags: "keep" })).toEqual([
      { field: "name", side: "other" },
      { field: "city", side: "keep" },
      { field: "tags", side: "keep" },
    ]);
  });
});

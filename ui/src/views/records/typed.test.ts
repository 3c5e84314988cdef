import { describe, expect, it } from "vitest";
import type { FieldInfo } from "../../api/api";
import { cellValue } from "../quotes/Lines";
import { typedValue } from "./Field";
import { choiceLabel, fieldLabel, text } from "./labels";

const info = (kind: FieldInfo["kind"]): FieldInfo => ({ name: "f", kind, required: false, editable: true });
const t = (key: string) => `<${key}>`;

describe("what a person typed, as the value Rust checks", () => {
  it("clears a field left blank", () => {
    expect(typedValue(info({ type: "text" }), "   ")).toBeNull();
    expect(cellValue("  ")).toBeNull();
  });

  it("keeps decimals and money as the exact text typed (Rust parses them, never a float)", () => {
    expect(typedValue(info({ type: "decimal" }), " 0.1 ")).toBe("0.1");
    expect(typedValue(info({ type: "decimal" }), "9007199254740993.01")).toBe("9007199254740993.01");
    expect(cellValue("199.99")).toBe("199.99");
  });

  it("splits tags at Latin and Chinese commas", () => {
    expect(typedValue(info({ type: "tags" }), "key account， 华东,renewal, ")).toEqual([
      "key account",
      "华东",
      "renewal",
    ]);
  });

  it("makes whole numbers numbers, and leaves anything else for Rust to refuse with words", () => {
    expect(typedValue(info({ type: "int", min: 0, max: 100 }), "75")).toBe(75);
    expect(typedValue(info({ type: "int", min: 0, max: 100 }), "7.5")).toBe("7.5");
    expect(typedValue(info({ type: "bool" }), "true")).toBe(true);
  });
});

describe("words for the schema's names", () => {
  it("names fields, with a kind's own word where it has one, and shows an unknown name as it is", () => {
    expect(fieldLabel(t as never, "contact", "title")).toBe("<field.jobTitle>");
    expect(fieldLabel(t as never, "task", "title")).toBe("<field.title>");
    expect(fieldLabel(t as never, "account", "shoe_size")).toBe("shoe_size");
  });

  it("names stages, activity kinds and statuses, and shows values as text", () => {
    expect(choiceLabel(t as never, "stage", "lost")).toBe("<stage.lost>");
    expect(choiceLabel(t as never, "status", "sent")).toBe("<quoteStatus.sent>");
    expect(choiceLabel(t as never, "stage", "unheard-of")).toBe("unheard-of");
    expect(text(["a", "b"])).toBe("a, b");
    expect(text(null)).toBe("");
  });
});

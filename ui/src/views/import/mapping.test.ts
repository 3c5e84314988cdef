import { describe, expect, it } from "vitest";
import { chooseField } from "./mapping";

const columns = [
  { column: "公司名称", field: "name" },
  { column: "电话", field: "phone" },
  { column: "备注", field: null },
];

describe("chooseField", () => {
  it("names the column by its number", () => {
    expect(chooseField([], columns, 2, "notes")).toEqual([{ column: "3", field: "notes" }]);
  });

  it("leaves out the column that had the field", () => {
    expect(chooseField([], columns, 2, "phone")).toEqual([
      { column: "3", field: "phone" },
      { column: "2", field: "" },
    ]);
  });

  it("replaces an earlier choice of the same column", () => {
    const first = chooseField([], columns, 0, "");
    expect(chooseField(first, columns, 0, "city")).toEqual([{ column: "1", field: "city" }]);
  });
});

/**
 * The mapping the wizard sends: the columns the user chose by hand, by column number (a
 * file may repeat a header), over Rust's guesses. Choosing a field for one column leaves
 * out the column that had it (one column per field: Rust refuses two).
 */

import type { ColumnChoice, ColumnMapping } from "../../api/api";

/** The choices after column `index` (from 0) is set to `field` ("" leaves it out). */
export function chooseField(
  choices: readonly ColumnChoice[],
  columns: readonly ColumnMapping[],
  index: number,
  field: string,
): ColumnChoice[] {
  const column = String(index + 1);
  const taken =
    field === "" ? [] : columns.flatMap((c, i) => (i !== index && c.field === field ? [String(i + 1)] : []));
  const kept = choices.filter((c) => c.column !== column && !taken.includes(c.column));
  return [...kept, { column, field }, ...taken.map((other) => ({ column: other, field: "" }))];
}

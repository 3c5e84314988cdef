/**
 * What a merge of two records asks the user: the fields whose values differ, and for each
 * which value the kept record ends with. Unasked, Rust fills the kept record's empty fields
 * from the other and joins tags and notes; a choice here overrides that field by field.
 * Only fields an edit may set are merged (`FieldInfo.editable`).
 */

import type { FieldChoice, FieldInfo, FieldValue, RecordView } from "../../api/api";

/** Which value a field ends with: the kept record's, the other's, or both (tags, notes). */
export type Outcome = "keep" | "other" | "both";

export interface Differing {
  field: string;
  keep: FieldValue | null;
  other: FieldValue | null;
  /** What the merge does unasked. */
  unasked: Outcome;
  /** Whether both values can be kept together (tags joined, notes appended). */
  joinable: boolean;
}

function filled(v: FieldValue | null | undefined): v is FieldValue {
  if (v === null || v === undefined) return false;
  if (typeof v === "string") return v.trim() !== "";
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

function same(a: FieldValue | null, b: FieldValue | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The fields the two records disagree on, in the schema's order. */
export function differingFields(fields: readonly FieldInfo[], keep: RecordView, other: RecordView): Differing[] {
  return fields
    .filter((f) => f.editable)
    .flatMap((f) => {
      const k = keep.fields[f.name] ?? null;
      const o = other.fields[f.name] ?? null;
      if (!filled(o) || same(k, o) || (!filled(k) && !filled(o))) return [];
      const joinable = filled(k) && (f.kind.type === "tags" || f.kind.type === "notes");
      const unasked: Outcome = !filled(k) ? "other" : joinable ? "both" : "keep";
      return [{ field: f.name, keep: filled(k) ? k : null, other: o, unasked, joinable }];
    });
}

/** The choices to send: a field picked differently from what the merge does unasked. */
export function choicesOf(differing: readonly Differing[], picks: Readonly<Record<string, Outcome>>): FieldChoice[] {
  return differing.flatMap((d) => {
    const pick = picks[d.field] ?? d.unasked;
    if (pick === d.unasked || pick === "both") return [];
    return [{ field: d.field, side: pick }];
  });
}

/**
 * Search results grouped by kind, in a fixed order of the kinds a rep looks for most, then
 * any other kind the schema has (in the order they come); best match first within each.
 */

import type { Kind, SearchHit } from "../../api/api";

export const KIND_ORDER: readonly Kind[] = [
  "account",
  "contact",
  "opportunity",
  "quote",
  "activity",
  "task",
  "product",
];

export function groupByKind(hits: readonly SearchHit[]): [Kind, SearchHit[]][] {
  const others = hits.map((h) => h.kind).filter((k) => !KIND_ORDER.includes(k));
  const kinds = [...KIND_ORDER, ...new Set(others)];
  return kinds
    .map((kind) => [kind, hits.filter((h) => h.kind === kind)] as [Kind, SearchHit[]])
    .filter(([, group]) => group.length > 0);
}

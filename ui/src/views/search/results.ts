/** Search results grouped by kind, in a fixed order of kinds; best match first within each. */

import type { Kind, SearchHit } from "../../api/api";

export const KIND_ORDER: readonly Kind[] = ["account", "contact", "opportunity", "quote", "activity", "task", "product"];

export function groupByKind(hits: readonly SearchHit[]): [Kind, SearchHit[]][] {
  return KIND_ORDER.map((kind) => [kind, hits.filter((h) => h.kind === kind)] as [Kind, SearchHit[]]).filter(
    ([, group]) => group.length > 0,
  );
}

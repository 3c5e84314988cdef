/** The field contract from Rust (`schema` command), read once and kept. */

import { useQuery } from "@tanstack/react-query";
import type { FieldInfo, Kind, SchemaInfo } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";

export function useSchema(): SchemaInfo | undefined {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.schema, queryFn: () => api.schema() }).data;
}

/** The fields of a kind, by name. */
export function fieldsOf(schema: SchemaInfo | undefined, kind: Kind): Map<string, FieldInfo> {
  const info = schema?.kinds.find((k) => k.kind === kind);
  return new Map((info?.fields ?? []).map((f) => [f.name, f]));
}

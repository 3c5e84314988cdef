/** One report under the dashboard's filters, through the `Api` (cached per request). */

import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import type { Report, ReportKind } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { type DashboardFilter, request } from "./filters";

export type ReportOf<R extends Report["report"]> = Extract<Report, { report: R }>;

export function useReport<R extends ReportKind["report"]>(
  kind: Extract<ReportKind, { report: R }>,
  filter: DashboardFilter,
  today: Date,
): UseQueryResult<ReportOf<R>> {
  const api = useApi();
  const req = request(kind, filter, today);
  return useQuery({
    queryKey: queryKeys.report(req),
    queryFn: async () => {
      const report = await api.report(req);
      if (report.report !== kind.report) throw new Error(`asked for ${kind.report}, got ${report.report}`);
      return report as ReportOf<R>;
    },
  });
}

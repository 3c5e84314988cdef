/**
 * Leads: the people met at a fair or on a visit, newest first, filtered by their status
 * (the schema's list; "open" is every status but converted and disqualified). Rows come
 * from Rust a keyset page at a time ("Show more"); one click opens a lead's page.
 */

import { useInfiniteQuery } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useState } from "react";
import { errorMessage, type ListCursor, listQuery, type RecordView } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { recordHref } from "../../shell/routes";
import { choiceLabel } from "../records/labels";
import { fieldsOf, useSchema } from "../records/schema";
import { openLeadCapture } from "./LeadCapture";

const PAGE = 100;
/** The statuses a lead has left the work in. */
const DONE = new Set(["converted", "disqualified"]);

export function str(r: RecordView, field: string): string | null {
  const v = r.fields[field];
  return typeof v === "string" ? v : null;
}

function LeadRow({ lead }: { lead: RecordView }) {
  const { t } = useI18n();
  const status = str(lead, "status");
  const source = str(lead, "source");
  const company = str(lead, "company");
  return (
    <li className="row lead-row" data-id={lead.id}>
      <span className="lead-who">
        <a href={recordHref("lead", lead.id)}>{lead.title}</a>
        {company && <span className="muted">{company}</span>}
      </span>
      <span className="row-meta">
        {source && <span className="chip">{choiceLabel(t, "source", source)}</span>}
        {status && (
          <span className={`chip status-${status}`} data-status={status}>
            {choiceLabel(t, "status", status)}
          </span>
        )}
      </span>
    </li>
  );
}

export function Leads() {
  const { t } = useI18n();
  const api = useApi();
  const schema = useSchema();
  const [status, setStatus] = useState("open");
  const statusInfo = fieldsOf(schema, "lead").get("status");
  const statuses = statusInfo?.kind.type === "enum" ? statusInfo.kind.values : [];
  const filters = status === "open" || status === "all" ? [] : [{ field: "status", value: status }];
  const q = { filters, limit: PAGE };
  const pages = useInfiniteQuery({
    queryKey: queryKeys.list("lead", q),
    queryFn: ({ pageParam }) => api.listRecords("lead", listQuery({ ...q, after: pageParam })),
    initialPageParam: null as ListCursor | null,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const rows = (pages.data?.pages ?? [])
    .flatMap((p) => p.records)
    .filter((lead) => status !== "open" || !DONE.has(str(lead, "status") ?? ""));

  return (
    <section className="leads" aria-labelledby="leads-title">
      <div className="screen-head">
        <h1 id="leads-title">{t("nav.leads")}</h1>
        <button type="button" className="primary" onClick={() => openLeadCapture()}>
          <Plus aria-hidden="true" size={16} />
          {t("leads.new")}
        </button>
      </div>
      <label className="inline-label">
        <span>{t("leads.show")}</span>
        <select name="lead-status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="open">{t("leads.open")}</option>
          <option value="all">{t("leads.all")}</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {choiceLabel(t, "status", s)}
            </option>
          ))}
        </select>
      </label>
      {pages.isError && (
        <p className="error" role="alert">
          {errorMessage(pages.error)}
        </p>
      )}
      <div className="panel">
        <ul className="list" data-testid="leads">
          {rows.map((lead) => (
            <LeadRow key={lead.id} lead={lead} />
          ))}
        </ul>
        {pages.data && rows.length === 0 && <p className="muted">{t("leads.none")}</p>}
      </div>
      {pages.hasNextPage && (
        <button type="button" onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
          {t("leads.more")}
        </button>
      )}
    </section>
  );
}

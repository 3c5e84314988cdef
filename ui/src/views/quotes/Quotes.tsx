/**
 * Quotes: the latest quotes, a page at a time (status, total, validity), or one quote in
 * its editor (`#/quotes/ID`). A new quote starts from its deal (the deal's page).
 */

import { useInfiniteQuery } from "@tanstack/react-query";
import { errorMessage, type ListCursor, listQuery, type RecordView } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { recordHref } from "../../shell/routes";
import { choiceLabel } from "../records/labels";
import { QuoteEditor } from "./QuoteEditor";

const PAGE = 50;

function str(r: RecordView, field: string): string | null {
  const v = r.fields[field];
  return typeof v === "string" ? v : null;
}

function QuoteList() {
  const { t, fmt } = useI18n();
  const api = useApi();
  const q = { order: { by: "recent" } as const };
  const pages = useInfiniteQuery({
    queryKey: [...queryKeys.list("quote", q), "pages"],
    queryFn: ({ pageParam }) => api.listRecords("quote", listQuery({ ...q, limit: PAGE, after: pageParam })),
    initialPageParam: null as ListCursor | null,
    getNextPageParam: (last) => last.next,
  });
  const rows = pages.data?.pages.flatMap((p) => p.records) ?? [];
  return (
    <section className="quotes" aria-labelledby="quotes-title-h">
      <h1 id="quotes-title-h">{t("nav.quotes")}</h1>
      <p className="muted">{t("quotes.fromDeal")}</p>
      {pages.isError && (
        <p className="error" role="alert">
          {errorMessage(pages.error)}
        </p>
      )}
      {pages.isSuccess && rows.length === 0 && <p className="muted">{t("quotes.none")}</p>}
      <ul className="list panel" data-testid="quotes">
        {rows.map((quote) => {
          const currency = str(quote, "currency");
          const status = str(quote, "status");
          const valid = str(quote, "valid_until");
          return (
            <li key={quote.id} className="row">
              <a href={recordHref("quote", quote.id)}>{quote.title}</a>
              <span className="row-meta">
                {status && <span className="chip">{choiceLabel(t, "status", status)}</span>}
                {quote.totals && currency && <span className="money">{fmt.money(quote.totals.total, currency)}</span>}
                {valid && <span>{t("quotes.validUntil", { date: fmt.date(valid) })}</span>}
              </span>
            </li>
          );
        })}
      </ul>
      {pages.hasNextPage && (
        <button type="button" className="plain" onClick={() => void pages.fetchNextPage()}>
          {t("pipeline.more")}
        </button>
      )}
    </section>
  );
}

export function Quotes({ id }: { id: string | null }) {
  return id ? <QuoteEditor key={id} id={id} /> : <QuoteList />;
}

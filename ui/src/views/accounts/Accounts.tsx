/**
 * Accounts: every account, by name, in a virtualized list that scrolls through 100,000
 * records: only the rows in view are drawn, and rows arrive from Rust a page at a time
 * (keyset pages, never the whole kind). The filter answers as you type (full-text search:
 * English prefixes, any two Chinese characters). A new account opens its page.
 */

import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { FileUp, Plus } from "lucide-react";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { errorMessage, type ListCursor, type ListOrder, listQuery, type RecordView } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { href, recordHref } from "../../shell/routes";

const PAGE = 200;
const ROW_HEIGHT = 52;
const BY_NAME: ListOrder = { by: "field", field: "name", descending: false };

function str(r: RecordView, field: string): string {
  const v = r.fields[field];
  return typeof v === "string" ? v : "";
}

function NewAccount({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const api = useApi();
  const [name, setName] = useState("");
  const [city, setCity] = useState("");
  const create = useMutation({
    mutationFn: () => api.createRecord("account", { name, city: city.trim() || null }),
    onSuccess: (account) => {
      window.location.hash = recordHref("account", account.id);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form className="form panel new-account" onSubmit={submit} aria-labelledby="new-account-title">
      <h2 id="new-account-title">{t("accounts.new")}</h2>
      <div className="form-row">
        <label>
          <span>{t("field.name")}</span>
          {/* biome-ignore lint/a11y/noAutofocus: the form was opened to type a name */}
          <input name="name" value={name} onChange={(e) => setName(e.target.value)} autoFocus required />
        </label>
        <label>
          <span>{t("field.city")}</span>
          <input name="city" value={city} onChange={(e) => setCity(e.target.value)} />
        </label>
      </div>
      {create.isError && (
        <p className="error" role="alert">
          {errorMessage(create.error)}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="plain" onClick={onClose}>
          {t("action.cancel")}
        </button>
        <button type="submit" className="primary" disabled={create.isPending}>
          {t("accounts.create")}
        </button>
      </div>
    </form>
  );
}

export function Accounts() {
  const { t } = useI18n();
  const api = useApi();
  const [filter, setFilter] = useState("");
  const [adding, setAdding] = useState(false);
  const search = filter.trim() || null;
  const base = { search, order: BY_NAME };
  const count = useQuery({
    queryKey: queryKeys.count("account", base),
    queryFn: () => api.countRecords("account", listQuery(base)),
    placeholderData: (previous) => previous,
  });
  const pages = useInfiniteQuery({
    queryKey: queryKeys.list("account", base),
    queryFn: ({ pageParam }) => api.listRecords("account", listQuery({ ...base, limit: PAGE, after: pageParam })),
    initialPageParam: null as ListCursor | null,
    getNextPageParam: (last) => last.next,
    placeholderData: (previous) => previous,
  });
  const rows = pages.data?.pages.flatMap((p) => p.records) ?? [];
  const total = count.data ?? rows.length;
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtual.getVirtualItems();
  const lastWanted = items.at(-1)?.index ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages;
  // Rows arrive in pages, in order: fetch the next until the rows in view are here.
  useEffect(() => {
    if (lastWanted >= rows.length - 1 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [lastWanted, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  return (
    <section className="accounts" aria-labelledby="accounts-title">
      <div className="screen-head">
        <h1 id="accounts-title">{t("nav.accounts")}</h1>
        <div className="head-actions">
          <a href={href("import")} className="button-link">
            <FileUp aria-hidden="true" size={16} />
            {t("accounts.import")}
          </a>
          <button type="button" className="primary" onClick={() => setAdding(true)} aria-expanded={adding}>
            <Plus aria-hidden="true" size={16} />
            {t("accounts.new")}
          </button>
        </div>
      </div>
      {adding && <NewAccount onClose={() => setAdding(false)} />}
      <div className="list-tools">
        <input
          type="search"
          name="filter"
          className="filter"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          aria-label={t("accounts.filter")}
          placeholder={t("accounts.filterPlaceholder")}
          autoComplete="off"
          spellCheck={false}
        />
        <p className="muted count" aria-live="polite" data-testid="account-count">
          {t("accounts.count", { count: total })}
        </p>
      </div>
      {pages.isError && (
        <p className="error" role="alert">
          {errorMessage(pages.error)}
        </p>
      )}
      {total === 0 && !pages.isPending && (
        <p className="muted">{search ? t("accounts.noMatch") : t("accounts.empty")}</p>
      )}
      <div ref={scroller} className="virtual-list" data-testid="account-list">
        <ul style={{ height: virtual.getTotalSize() }} aria-label={t("accounts.listLabel")}>
          {items.map((item) => {
            const r = rows[item.index];
            return (
              <li
                key={item.key}
                className="account-row"
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                aria-setsize={total}
                aria-posinset={item.index + 1}
              >
                {r ? (
                  <a href={recordHref("account", r.id)} data-id={r.id}>
                    <span className="account-name">{r.title}</span>
                    <span className="account-meta">
                      {[str(r, "city"), str(r, "industry")].filter(Boolean).join(" · ")}
                    </span>
                  </a>
                ) : (
                  <span className="account-loading muted">{t("app.loadingRow")}</span>
                )}
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}

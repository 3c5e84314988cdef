/** The search screen: every record matching the text, grouped by kind, each a link. */

import { useQuery } from "@tanstack/react-query";
import { errorMessage } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { recordHref } from "../../shell/routes";
import { KIND_GROUPS } from "../records/labels";
import { groupByKind } from "./results";

export function SearchScreen({ query }: { query: string }) {
  const { t } = useI18n();
  const api = useApi();
  const text = query.trim();
  const results = useQuery({
    queryKey: queryKeys.search(text),
    queryFn: () => api.search(text, 200),
    enabled: text.length > 0,
  });
  const groups = groupByKind(results.data ?? []);
  return (
    <section aria-labelledby="search-title" className="search-screen">
      <h1 id="search-title">{t("nav.search")}</h1>
      {text ? <p className="lead">“{text}”</p> : <p className="muted">{t("search.hint")}</p>}
      {results.isError && (
        <p className="error" role="alert">
          {errorMessage(results.error)}
        </p>
      )}
      {text && results.isSuccess && groups.length === 0 && <p className="muted">{t("search.none")}</p>}
      {groups.map(([kind, hits]) => (
        <section key={kind} className="panel" aria-labelledby={`group-${kind}`} data-group={kind}>
          <h2 id={`group-${kind}`}>{t(KIND_GROUPS[kind])}</h2>
          <ul className="list">
            {hits.map((h) => (
              <li key={h.id} className="row">
                <a href={recordHref(h.kind, h.id, h.account_id)}>{h.title || "—"}</a>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}

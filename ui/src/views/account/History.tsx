/**
 * Every change of a record (an account, or a lead), newest first: who changed what, when,
 * from what to what.
 */

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { Kind } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { fieldLabel, text } from "../records/labels";

export function History({ id, kind = "account" }: { id: string; kind?: Kind }) {
  const { t, fmt } = useI18n();
  const api = useApi();
  const [open, setOpen] = useState(false);
  const history = useQuery({
    queryKey: queryKeys.history(id),
    queryFn: () => api.recordHistory(id),
    enabled: open,
  });
  const entries = [...(history.data ?? [])].reverse();
  return (
    <details className="panel history" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <h2>{t("account.history")}</h2>
      </summary>
      {open && entries.length === 0 && <p className="muted">{t("app.loading")}</p>}
      <ol className="history-list" data-testid="history">
        {entries.map((h) => (
          <li key={`${h.at}-${h.by}-${h.field}`}>
            <p>
              {t("history.changed", { user: h.by, field: fieldLabel(t, kind, h.field) })}
              <span className="muted"> · {fmt.dateTime(h.at)}</span>
            </p>
            <p className="history-values">
              <span className="history-from">{text(h.from) || t("value.empty")}</span>
              <span aria-hidden="true"> → </span>
              <span className="visually-hidden">{t("history.to")}</span>
              <span className="history-to">{text(h.to) || t("value.empty")}</span>
            </p>
          </li>
        ))}
      </ol>
    </details>
  );
}

/** An account's activities, newest first: what happened, who logged it, when. */

import { useQuery } from "@tanstack/react-query";
import { listQuery, type RecordView } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { choiceLabel } from "../records/labels";

function str(r: RecordView, field: string): string | null {
  const v = r.fields[field];
  return typeof v === "string" ? v : null;
}

export function Timeline({ accountId }: { accountId: string }) {
  const { t, fmt } = useI18n();
  const api = useApi();
  const q = { account: accountId, order: { by: "field", field: "at", descending: true } as const, limit: 100 };
  const list = useQuery({
    queryKey: queryKeys.list("activity", q),
    queryFn: () => api.listRecords("activity", listQuery(q)),
  });
  const rows = list.data?.records ?? [];
  return (
    <section className="panel" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t("account.timeline")}</h2>
      {rows.length === 0 ? (
        <p className="muted">{t("account.noActivities")}</p>
      ) : (
        <ol className="timeline" data-testid="timeline">
          {rows.map((a) => {
            const kind = str(a, "activity_kind");
            const at = str(a, "at");
            const body = str(a, "body");
            return (
              <li key={a.id}>
                <p className="timeline-head">
                  {kind && <span className="chip">{choiceLabel(t, "activity_kind", kind)}</span>}
                  <span className="timeline-subject">{a.title}</span>
                </p>
                {body && <p className="timeline-body">{body}</p>}
                <p className="timeline-meta muted">
                  {t("account.loggedBy", { user: a.created_by, when: at ? fmt.dateTime(at) : "" })}
                </p>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

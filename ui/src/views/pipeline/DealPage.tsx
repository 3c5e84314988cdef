/**
 * A deal (`#/pipeline/ID`): its account, its stage (moved like on the board: `lost` asks
 * for the reason), its fields edited where they are shown (conflicts on the field), its
 * quotes and a new quote in one click.
 */

import { useMutation, useQuery } from "@tanstack/react-query";
import { ArrowLeft, Plus } from "lucide-react";
import { useState } from "react";
import { errorMessage, listQuery, type RecordView } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { href, recordHref } from "../../shell/routes";
import { openQuickLog } from "../activity/QuickLog";
import { ConflictChoice } from "../records/ConflictChoice";
import { Field } from "../records/Field";
import { choiceLabel } from "../records/labels";
import { fieldsOf, useSchema } from "../records/schema";
import { LossDialog, StageMenu } from "./StageMenu";
import type { Move } from "./stage";

const DETAILS = ["name", "amount", "currency", "close_date", "probability", "next_step", "loss_reason", "renewal_date"];

function str(r: RecordView | undefined, field: string): string | null {
  const v = r?.fields[field];
  return typeof v === "string" ? v : null;
}

function DealQuotes({ deal }: { deal: RecordView }) {
  const { t, fmt } = useI18n();
  const api = useApi();
  const q = { filters: [{ field: "opportunity_id", value: deal.id }], order: { by: "recent" } as const, limit: 100 };
  const list = useQuery({
    queryKey: queryKeys.list("quote", q),
    queryFn: () => api.listRecords("quote", listQuery(q)),
  });
  const create = useMutation({
    mutationFn: () => api.createRecord("quote", { opportunity_id: deal.id }),
    onSuccess: (quote) => {
      window.location.hash = recordHref("quote", quote.id);
    },
  });
  const rows = list.data?.records ?? [];
  return (
    <section className="panel related" aria-labelledby="deal-quotes-title">
      <div className="panel-head">
        <h2 id="deal-quotes-title">
          {t("account.quotes")}
          <span className="count-badge">{rows.length}</span>
        </h2>
        <button type="button" className="small" onClick={() => create.mutate()} disabled={create.isPending}>
          <Plus aria-hidden="true" size={14} />
          {t("quotes.new")}
        </button>
      </div>
      {create.isError && (
        <p className="error" role="alert">
          {errorMessage(create.error)}
        </p>
      )}
      {rows.length === 0 ? (
        list.isPending ? null : (
          <p className="muted">{t("quotes.none")}</p>
        )
      ) : (
        <ul className="list">
          {rows.map((quote) => {
            const currency = str(quote, "currency");
            const status = str(quote, "status");
            return (
              <li key={quote.id} className="row">
                <a href={recordHref("quote", quote.id)}>{quote.title}</a>
                <span className="row-meta">
                  {status && <span className="chip">{choiceLabel(t, "status", status)}</span>}
                  {quote.totals && currency && <span className="money">{fmt.money(quote.totals.total, currency)}</span>}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export function DealPage({ id }: { id: string }) {
  const { t } = useI18n();
  const api = useApi();
  const schema = useSchema();
  const record = useQuery({ queryKey: queryKeys.record(id), queryFn: () => api.getRecord(id) });
  const deal = record.data;
  const accountId = str(deal, "account_id");
  const account = useQuery({
    queryKey: queryKeys.record(accountId ?? ""),
    queryFn: () => api.getRecord(accountId ?? ""),
    enabled: accountId !== null,
  });
  // The deal this one renews (a renewal made from a reminder).
  const renews = record.data ? str(record.data, "renews_id") : null;
  const renewed = useQuery({
    queryKey: queryKeys.record(renews ?? ""),
    queryFn: () => api.getRecord(renews ?? ""),
    enabled: renews !== null,
  });
  const [asking, setAsking] = useState<Move | null>(null);
  const fields = fieldsOf(schema, "opportunity");

  if (record.isError) {
    return (
      <section>
        <a href={href("pipeline")}>{t("nav.pipeline")}</a>
        <p className="error" role="alert">
          {errorMessage(record.error)}
        </p>
      </section>
    );
  }
  if (!deal || !schema) return <p className="muted">{t("app.loading")}</p>;
  const stageConflict = deal.conflicts.find((c) => c.field === "stage");
  const stageInfo = fields.get("stage");
  return (
    <article className="deal-page" aria-labelledby="deal-title" data-id={id}>
      <nav className="crumbs" aria-label={t("account.crumbs")}>
        <a href={href("pipeline")}>
          <ArrowLeft aria-hidden="true" size={16} />
          {t("nav.pipeline")}
        </a>
        {accountId && account.data && <a href={recordHref("account", accountId)}>{account.data.title}</a>}
      </nav>
      <div className="screen-head">
        <h1 id="deal-title">{deal.title}</h1>
        <button type="button" className="primary" onClick={() => openQuickLog(accountId ?? undefined, id)}>
          <Plus aria-hidden="true" size={16} />
          {t("activity.log")}
        </button>
      </div>
      <div className="label-like deal-stage">
        <span>{t("field.stage")}</span>
        <StageMenu
          id={id}
          title={deal.title}
          stage={str(deal, "stage")}
          stages={schema.stages}
          onAskReason={setAsking}
        />
      </div>
      {stageConflict && stageInfo && (
        <ConflictChoice id="stage-conflict" record={deal} info={stageInfo} conflict={stageConflict} />
      )}
      {deal.has_conflicts && (
        <p className="conflict-banner" role="status">
          {t("account.hasConflicts")}
        </p>
      )}
      <div className="account-grid">
        <section className="panel" aria-labelledby="deal-details-title">
          <h2 id="deal-details-title">{t("account.details")}</h2>
          <dl className="fields">
            {DETAILS.map((name) => {
              const info = fields.get(name);
              return info ? <Field key={name} record={deal} info={info} /> : null;
            })}
          </dl>
          {renews && (
            <p className="renews" data-testid="renews">
              {t("reminders.renewsLabel")} <a href={recordHref("opportunity", renews)}>{renewed.data?.title ?? "…"}</a>
            </p>
          )}
        </section>
        <div className="account-side">
          <DealQuotes deal={deal} />
        </div>
      </div>
      <LossDialog pending={asking} onDone={() => setAsking(null)} />
    </article>
  );
}

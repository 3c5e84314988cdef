/**
 * The quote editor (`#/quotes/ID`): its deal, status, validity, currency and tax rate
 * (fields edited in place, conflicts on the field), its lines (`Lines`, `AddLine`) and its
 * totals as Rust computes them, exact to the currency's minor unit. "Print" opens the
 * system print dialog on an A4 page of the quote alone (print styles hide the app).
 */

import { useQuery } from "@tanstack/react-query";
import { ArrowLeft, Printer } from "lucide-react";
import { errorMessage, type FieldInfo, type RecordView } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { href, recordHref } from "../../shell/routes";
import { ConflictChoice } from "../records/ConflictChoice";
import { Field } from "../records/Field";
import { choiceLabel } from "../records/labels";
import { fieldsOf, useSchema } from "../records/schema";
import { AddLine } from "./AddLine";
import { Lines } from "./Lines";

const HEAD = ["status", "valid_until", "currency", "tax_pct"];

function str(r: RecordView | undefined, field: string): string | null {
  const v = r?.fields[field];
  return typeof v === "string" ? v : null;
}

function Totals({ quote, currency }: { quote: RecordView; currency: string | null }) {
  const { t, fmt } = useI18n();
  const totals = quote.totals;
  const money = (v: string) => (currency ? fmt.money(v, currency) : v);
  const tax = str(quote, "tax_pct");
  return (
    <dl className="totals" data-testid="quote-totals">
      <div>
        <dt>{t("quotes.subtotal")}</dt>
        <dd data-total="subtotal">{totals ? money(totals.subtotal) : t("value.empty")}</dd>
      </div>
      <div>
        <dt>{tax ? t("quotes.taxAt", { rate: fmt.percent(tax) }) : t("quotes.tax")}</dt>
        <dd data-total="tax">{totals ? money(totals.tax) : t("value.empty")}</dd>
      </div>
      <div className="grand-total">
        <dt>{t("quotes.total")}</dt>
        <dd data-total="total">{totals ? money(totals.total) : t("value.empty")}</dd>
      </div>
    </dl>
  );
}

/** Conflicts on lines (`lines.LINE.FIELD`), shown under the lines with both values. */
function LineConflicts({ quote, lineFields }: { quote: RecordView; lineFields: FieldInfo[] }) {
  const lines = quote.conflicts.filter((c) => c.field.startsWith("lines."));
  return (
    <>
      {lines.map((conflict) => {
        const name = conflict.field.split(".")[2] ?? "";
        const info = lineFields.find((f) => f.name === name);
        return info ? (
          <ConflictChoice
            key={conflict.field}
            id={`conflict-${conflict.field.replace(/\W/g, "-")}`}
            record={quote}
            info={info}
            conflict={conflict}
          />
        ) : null;
      })}
    </>
  );
}

export function QuoteEditor({ id }: { id: string }) {
  const { t, fmt } = useI18n();
  const api = useApi();
  const schema = useSchema();
  const record = useQuery({ queryKey: queryKeys.record(id), queryFn: () => api.getRecord(id) });
  const quote = record.data;
  const dealId = str(quote, "opportunity_id");
  const deal = useQuery({
    queryKey: queryKeys.record(dealId ?? ""),
    queryFn: () => api.getRecord(dealId ?? ""),
    enabled: dealId !== null,
  });
  const accountId = str(deal.data, "account_id");
  const account = useQuery({
    queryKey: queryKeys.record(accountId ?? ""),
    queryFn: () => api.getRecord(accountId ?? ""),
    enabled: accountId !== null,
  });
  const fields = fieldsOf(schema, "quote");

  if (record.isError) {
    return (
      <section>
        <a href={href("quotes")}>{t("nav.quotes")}</a>
        <p className="error" role="alert">
          {errorMessage(record.error)}
        </p>
      </section>
    );
  }
  if (!quote || !schema) return <p className="muted">{t("app.loading")}</p>;
  const currency = str(quote, "currency");
  const status = str(quote, "status");
  const validUntil = str(quote, "valid_until");
  return (
    <article className="quote-editor" aria-labelledby="quote-title" data-id={id}>
      <nav className="crumbs no-print" aria-label={t("account.crumbs")}>
        <a href={href("quotes")}>
          <ArrowLeft aria-hidden="true" size={16} />
          {t("nav.quotes")}
        </a>
        {dealId && deal.data && <a href={recordHref("opportunity", dealId)}>{deal.data.title}</a>}
      </nav>
      <div className="screen-head">
        <h1 id="quote-title">{t("quotes.title", { number: quote.title })}</h1>
        <button type="button" className="no-print" onClick={() => window.print()}>
          <Printer aria-hidden="true" size={16} />
          {t("quotes.print")}
        </button>
      </div>
      {/* What the printed page says about the quote (the editable fields are not printed). */}
      <div className="print-only print-head">
        {account.data && <p className="print-customer">{account.data.title}</p>}
        {deal.data && <p>{deal.data.title}</p>}
        <p>
          {status && choiceLabel(t, "status", status)}
          {validUntil && ` · ${t("quotes.validUntil", { date: fmt.date(validUntil) })}`}
        </p>
      </div>
      {quote.has_conflicts && (
        <p className="conflict-banner no-print" role="status">
          {t("account.hasConflicts")}
        </p>
      )}
      <section className="panel no-print" aria-labelledby="quote-head-title">
        <h2 id="quote-head-title">{t("account.details")}</h2>
        <dl className="fields fields-row">
          {HEAD.map((name) => {
            const info = fields.get(name);
            return info ? <Field key={name} record={quote} info={info} /> : null;
          })}
        </dl>
      </section>
      <section className="panel quote-lines" aria-labelledby="quote-lines-title">
        <h2 id="quote-lines-title">{t("field.lines")}</h2>
        <Lines quote={quote} currency={currency} />
        <LineConflicts quote={quote} lineFields={schema.line_fields} />
        <div className="no-print">
          <AddLine quote={quote} />
        </div>
        <Totals quote={quote} currency={currency} />
      </section>
    </article>
  );
}

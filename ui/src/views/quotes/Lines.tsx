/**
 * A quote's lines: description, quantity, unit price and discount, each edited in place
 * and saved when it is left (Enter or Tab); the line's total comes back from Rust, computed
 * by the core's exact decimal code, as do the quote's totals. Nothing here computes money.
 */

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Trash2 } from "lucide-react";
import { type KeyboardEvent, useState } from "react";
import { errorMessage, type FieldValue, type QuoteLine, type RecordView } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import type { Key } from "../../i18n/en";
import { useI18n } from "../../i18n/I18n";
import { text } from "../records/labels";

/** The editable columns of a line, in order. */
export const LINE_COLUMNS: readonly { field: string; label: Key; numeric: boolean }[] = [
  { field: "description", label: "field.description", numeric: false },
  { field: "quantity", label: "field.quantity", numeric: true },
  { field: "unit_price", label: "field.unitPrice", numeric: true },
  { field: "discount_pct", label: "field.discountPct", numeric: true },
];

/** What was typed into a cell, as the value Rust checks (decimals stay strings). */
export function cellValue(typed: string): FieldValue | null {
  const t = typed.trim();
  return t === "" ? null : t;
}

function Cell({
  quote,
  line,
  field,
  label,
  numeric,
}: {
  quote: RecordView;
  line: QuoteLine;
  field: string;
  label: string;
  numeric: boolean;
}) {
  const api = useApi();
  const queries = useQueryClient();
  const stored = text(line.fields[field]);
  const [draft, setDraft] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (value: FieldValue | null) => api.setQuoteLine(quote.id, line.line_id, { [field]: value }),
    onSuccess: (updated) => {
      queries.setQueryData(queryKeys.record(quote.id), updated);
      setDraft(null);
    },
  });
  const commit = () => {
    if (draft !== null && draft.trim() !== stored) save.mutate(cellValue(draft));
    else setDraft(null);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter") {
      e.preventDefault();
      commit();
    } else if (e.key === "Escape") {
      setDraft(null);
      save.reset();
    }
  };
  return (
    <td className={numeric ? "num" : undefined} data-label={label}>
      <input
        name={field}
        value={draft ?? stored}
        inputMode={numeric ? "decimal" : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={onKeyDown}
        aria-label={label}
        aria-invalid={save.isError || undefined}
        autoComplete="off"
      />
      {save.isError && (
        <span className="error cell-error" role="alert">
          {errorMessage(save.error)}
        </span>
      )}
    </td>
  );
}

export function Lines({ quote, currency }: { quote: RecordView; currency: string | null }) {
  const { t, fmt } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const remove = useMutation({
    mutationFn: (lineId: string) => api.removeQuoteLine(quote.id, lineId),
    onSuccess: (updated) => queries.setQueryData(queryKeys.record(quote.id), updated),
  });
  if (quote.lines.length === 0) return <p className="muted">{t("quotes.noLines")}</p>;
  return (
    <>
      <table className="lines" data-testid="quote-lines">
        <thead>
          <tr>
            {LINE_COLUMNS.map((c) => (
              <th key={c.field} scope="col" className={c.numeric ? "num" : undefined}>
                {t(c.label)}
              </th>
            ))}
            <th scope="col" className="num">
              {t("quotes.lineTotal")}
            </th>
            <th scope="col">
              <span className="visually-hidden">{t("quotes.removeLine")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {quote.lines.map((line, n) => (
            <tr key={line.line_id} data-line={line.line_id}>
              {LINE_COLUMNS.map((c) => (
                <Cell
                  key={`${c.field}-${text(line.fields[c.field])}`}
                  quote={quote}
                  line={line}
                  field={c.field}
                  label={t("quotes.cellLabel", { field: t(c.label), line: n + 1 })}
                  numeric={c.numeric}
                />
              ))}
              <td className="num line-total" data-label={t("quotes.lineTotal")}>
                {line.total && currency ? fmt.money(line.total, currency) : t("value.empty")}
              </td>
              <td className="line-remove">
                <button
                  type="button"
                  className="plain small"
                  onClick={() => remove.mutate(line.line_id)}
                  aria-label={t("quotes.removeLineLabel", { line: n + 1 })}
                  title={t("quotes.removeLine")}
                >
                  <Trash2 aria-hidden="true" size={16} />
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {remove.isError && (
        <p className="error" role="alert">
          {errorMessage(remove.error)}
        </p>
      )}
    </>
  );
}

/**
 * A field's value on screen, formatted for the locale by what the schema says it is: money
 * with its record's currency, dates, times, choices in words, yes/no. Never arithmetic.
 */

import type { FieldKind, FieldValue, RecordView } from "../../api/api";
import type { I18n } from "../../i18n/I18n";
import { choiceLabel, text } from "./labels";

const MONEY_FIELDS = new Set(["amount", "unit_price", "subtotal", "tax", "total"]);

/** The record's currency, for its money fields. */
export function currencyOf(record: Pick<RecordView, "fields">): string | null {
  const c = record.fields.currency;
  return typeof c === "string" ? c : null;
}

export function formatValue(
  i18n: Pick<I18n, "t" | "fmt">,
  field: string,
  fieldKind: FieldKind | undefined,
  value: FieldValue | null | undefined,
  currency: string | null,
): string {
  const { t, fmt } = i18n;
  if (value === null || value === undefined || value === "") return "";
  try {
    if (typeof value === "string" && MONEY_FIELDS.has(field) && currency) return fmt.money(value, currency);
    switch (fieldKind?.type) {
      case "date":
        return typeof value === "string" ? fmt.date(value) : text(value);
      case "date_time":
        return typeof value === "string" ? fmt.dateTime(value) : text(value);
      case "decimal":
        return typeof value === "string" ? fmt.decimal(value) : text(value);
      case "percent":
        return typeof value === "string" ? fmt.percent(value) : text(value);
      case "bool":
        return value === true ? t("value.yes") : t("value.no");
      case "enum":
        return typeof value === "string" ? choiceLabel(t, field, value) : text(value);
      case "int":
        return typeof value === "number" && field === "probability" ? fmt.percent(String(value)) : text(value);
      default:
        return text(value);
    }
  } catch {
    // A value Rust sent in a form this screen does not know: shown as it is.
    return text(value);
  }
}

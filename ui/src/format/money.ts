/**
 * Money on screen: an exact decimal string and an ISO 4217 code, both from Rust (which did
 * all the arithmetic), formatted for a locale by `Intl.NumberFormat` with no float in
 * between. `formatMoney("1234.5", "EUR", "de-DE")` → `1.234,50 €`.
 */

import { fractionDigits, parseDecimal } from "./decimal";

const CURRENCY = /^[A-Z]{3}$/;

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, currency: string, digits: number): Intl.NumberFormat {
  const key = `${locale}|${currency}|${digits}`;
  let nf = formatters.get(key);
  if (!nf) {
    const minor = new Intl.NumberFormat(locale, { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits;
    nf = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      // The currency's minor digits at least (1234.5 EUR → 1,234.50); more when the amount
      // has them (a unit price of 0.1234 EUR keeps all four), so nothing is rounded here.
      minimumFractionDigits: minor ?? 2,
      maximumFractionDigits: Math.max(minor ?? 2, digits),
    });
    formatters.set(key, nf);
  }
  return nf;
}

/**
 * Formats `amount` (an exact decimal string) in `currency` (ISO 4217) for `locale`.
 * Throws a RangeError for an amount or currency code that is not well formed.
 */
export function formatMoney(amount: string, currency: string, locale: string): string {
  const value = parseDecimal(amount);
  if (!CURRENCY.test(currency)) {
    throw new RangeError(`"${currency}" is not an ISO 4217 currency code (three capital letters)`);
  }
  return formatter(locale, currency, fractionDigits(value)).format(value);
}

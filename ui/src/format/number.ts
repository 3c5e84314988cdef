/**
 * Plain numbers on screen: counts (integers, safe as `number`) and exact decimals from Rust
 * (quantities, probabilities), formatted for a locale.
 */

import { fractionDigits, parseDecimal } from "./decimal";

/** A count such as "3 changes waiting": `formatCount(12345, "de-DE")` → `12.345`. */
export function formatCount(n: number, locale: string): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${n} is not a whole count`);
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(n);
}

/** An exact decimal string with every digit it has: `formatDecimal("1234.5", "de-DE")` → `1.234,5`. */
export function formatDecimal(value: string, locale: string): string {
  const d = parseDecimal(value);
  const digits = fractionDigits(d);
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(d);
}

/** A percentage given in percent points as a decimal string: `formatPercent("37.5", "en")` → `37.5%`. */
export function formatPercent(points: string, locale: string): string {
  const d = parseDecimal(points);
  // "37.5" points → "0.375": move the point two places left, as text.
  const negative = d.startsWith("-");
  const [int = "0", frac = ""] = (negative ? d.slice(1) : d).split(".");
  const padded = int.padStart(3, "0");
  const ratio = `${negative ? "-" : ""}${padded.slice(0, -2)}.${padded.slice(-2)}${frac}`;
  const digits = frac.length;
  return new Intl.NumberFormat(locale, {
    style: "percent",
    minimumFractionDigits: 0,
    maximumFractionDigits: digits,
  }).format(parseDecimal(ratio));
}

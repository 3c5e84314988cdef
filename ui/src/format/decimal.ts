/**
 * Exact decimal strings as Rust sends them (money amounts, quantities, percentages): checked
 * here, then handed to `Intl.NumberFormat` as strings. Since ES2023 (Intl.NumberFormat v3)
 * `format()` takes a decimal string and formats it exactly: no `Number` is ever made from a
 * money amount, so nothing is lost to binary floating point. Never does arithmetic.
 */

/** A decimal as Rust's `rust_decimal` writes it: optional minus, digits, optional fraction. */
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** An exact decimal string, checked. */
export type Decimal = `${number}`;

/** Checks `value` is an exact decimal string; throws a RangeError that names it otherwise. */
export function parseDecimal(value: string): Decimal {
  if (!DECIMAL.test(value)) {
    throw new RangeError(
      `"${value}" is not a decimal number (expected digits with an optional "-" and "." part, as Rust sends them)`,
    );
  }
  return value as Decimal;
}

/** How many digits follow the decimal point in `value` (0 when none). */
export function fractionDigits(value: Decimal): number {
  const dot = value.indexOf(".");
  return dot < 0 ? 0 : value.length - dot - 1;
}

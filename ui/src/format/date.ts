/**
 * Dates and times on screen. Rust sends calendar dates as `YYYY-MM-DD` (a due date has no
 * time zone: it is the same day everywhere) and instants as RFC 3339 (shown in the local
 * zone). Formatting goes through `Intl.DateTimeFormat` / `Intl.RelativeTimeFormat`.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date: `formatDate("2026-11-05", "zh-CN")` → `2026年11月5日`. */
export function formatDate(date: string, locale: string, style: "medium" | "short" = "medium"): string {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`"${date}" is not a calendar date (YYYY-MM-DD)`);
  const utc = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (utc.toISOString().slice(0, 10) !== date) throw new RangeError(`"${date}" is not a real day`);
  // Read back in UTC, where it was made, so no time zone moves it to the day before.
  return new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone: "UTC" }).format(utc);
}

function instant(rfc3339: string): Date {
  const t = Date.parse(rfc3339);
  if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T/.test(rfc3339)) {
    throw new RangeError(`"${rfc3339}" is not an RFC 3339 time`);
  }
  return new Date(t);
}

/** An instant, in `timeZone` (default: this machine's). */
export function formatDateTime(rfc3339: string, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
    ...(timeZone === undefined ? {} : { timeZone }),
  }).format(instant(rfc3339));
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** How long ago (or ahead) `rfc3339` is from `now`: `5 minutes ago`, `5分钟前`, `now`. */
export function formatRelative(rfc3339: string, locale: string, now: Date = new Date()): string {
  const seconds = Math.round((instant(rfc3339).getTime() - now.getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.trunc(seconds / size), unit);
  }
  return rtf.format(0, "second");
}

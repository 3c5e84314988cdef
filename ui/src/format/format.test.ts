import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatRelative } from "./date";
import { formatMoney } from "./money";
import { formatCount, formatDecimal, formatPercent } from "./number";

// Intl output uses non-breaking spaces (U+00A0, U+202F) where a locale puts a space.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("formatMoney", () => {
  it("formats per locale and currency", () => {
    expect(formatMoney("1234.5", "CNY", "zh-CN")).toBe("¥1,234.50");
    expect(plain(formatMoney("1234.50", "EUR", "de-DE"))).toBe("1.234,50 €");
    expect(formatMoney("1234.5", "USD", "en-US")).toBe("$1,234.50");
    expect(formatMoney("1234", "EUR", "en-US")).toBe("€1,234.00");
    expect(plain(formatMoney("-0.5", "EUR", "fr-FR"))).toBe("-0,50 €");
  });

  it("uses the currency's own minor digits", () => {
    expect(formatMoney("1234", "JPY", "ja-JP")).toBe("￥1,234");
    expect(plain(formatMoney("1.5", "BHD", "en-US"))).toBe("BHD 1.500");
  });

  it("is exact where a float is not", () => {
    // 2^53 + 1 and a cent: no double holds either.
    expect(formatMoney("9007199254740993.01", "USD", "en-US")).toBe("$9,007,199,254,740,993.01");
    expect(formatMoney("0.1", "USD", "en-US")).toBe("$0.10");
  });

  it("keeps digits beyond the currency's instead of rounding them", () => {
    expect(formatMoney("0.1234", "EUR", "en-US")).toBe("€0.1234");
    expect(formatMoney("2.675", "USD", "en-US")).toBe("$2.675");
  });

  it("refuses what is not an exact decimal or a currency code", () => {
    expect(() => formatMoney("1,234.50", "EUR", "en")).toThrow(/not a decimal/);
    expect(() => formatMoney("1e3", "EUR", "en")).toThrow(RangeError);
    expect(() => formatMoney("", "EUR", "en")).toThrow(RangeError);
    expect(() => formatMoney("12", "eur", "en")).toThrow(/ISO 4217/);
  });
});

describe("numbers", () => {
  it("formats counts", () => {
    expect(formatCount(12345, "de-DE")).toBe("12.345");
    expect(formatCount(12345, "zh-CN")).toBe("12,345");
    expect(() => formatCount(1.5, "en")).toThrow(RangeError);
  });

  it("formats decimals with every digit they have", () => {
    expect(formatDecimal("1234.5", "de-DE")).toBe("1.234,5");
    expect(formatDecimal("3", "en")).toBe("3");
    expect(formatDecimal("12345678901234567.125", "en")).toBe("12,345,678,901,234,567.125");
  });

  it("formats percent points", () => {
    expect(formatPercent("37.5", "en")).toBe("37.5%");
    expect(formatPercent("5", "en")).toBe("5%");
    expect(formatPercent("100", "zh-CN")).toBe("100%");
    expect(plain(formatPercent("12.25", "de-DE"))).toBe("12,25 %");
  });
});

describe("dates", () => {
  it("formats calendar dates on the same day in every zone", () => {
    expect(formatDate("2026-11-05", "en-US")).toBe("Nov 5, 2026");
    expect(formatDate("2026-11-05", "zh-CN")).toBe("2026年11月5日");
    expect(formatDate("2026-01-01", "de-DE")).toBe("01.01.2026");
  });

  it("refuses what is not a real calendar date", () => {
    expect(() => formatDate("2026-02-30", "en")).toThrow(/not a real day/);
    expect(() => formatDate("05/11/2026", "en")).toThrow(RangeError);
  });

  it("formats instants in a given zone", () => {
    expect(plain(formatDateTime("2026-11-05T08:30:00Z", "en-US", "Asia/Shanghai"))).toBe("Nov 5, 2026, 4:30 PM");
    expect(formatDateTime("2026-11-05T08:30:00Z", "zh-CN", "Asia/Shanghai")).toBe("2026年11月5日 16:30");
    expect(() => formatDateTime("yesterday", "en")).toThrow(/RFC 3339/);
  });

  it("says how long ago", () => {
    const now = new Date("2026-11-05T12:00:00Z");
    expect(formatRelative("2026-11-05T11:55:00Z", "en", now)).toBe("5 minutes ago");
    expect(formatRelative("2026-11-05T11:55:00Z", "zh-CN", now)).toBe("5分钟前");
    expect(formatRelative("2026-11-04T12:00:00Z", "en", now)).toBe("yesterday");
    expect(formatRelative("2026-11-05T11:59:40Z", "en", now)).toBe("now");
  });
});

/**
 * The i18n layer React sees: `useI18n()` gives the language, a way to switch it at run
 * time, `t(key, params)` and formatters bound to the locale. Keeps `<html lang>` in step so
 * the webview picks Chinese glyphs for Chinese text.
 */

import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { formatDate, formatDateTime, formatRelative } from "../format/date";
import { formatMoney } from "../format/money";
import { formatCount, formatDecimal, formatPercent } from "../format/number";
import type { Key } from "./en";
import { formatLocale, initialLocale, storeLocale } from "./locale";
import { type Locale, type Params, translate } from "./translate";

export interface Formatters {
  money(amount: string, currency: string): string;
  decimal(value: string): string;
  percent(points: string): string;
  count(n: number): string;
  date(date: string): string;
  dateTime(rfc3339: string): string;
  relative(rfc3339: string): string;
}

export interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t(key: Key, params?: Params): string;
  fmt: Formatters;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children, locale: fixed }: { children: ReactNode; locale?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(() => fixed ?? initialLocale());

  const setLocale = useCallback((next: Locale) => {
    storeLocale(next);
    setLocaleState(next);
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const value = useMemo<I18n>(() => {
    const f = formatLocale(locale);
    return {
      locale,
      setLocale,
      t: (key, params) => translate(locale, key, params),
      fmt: {
        money: (amount, currency) => formatMoney(amount, currency, f),
        decimal: (v) => formatDecimal(v, f),
        percent: (p) => formatPercent(p, f),
        count: (n) => formatCount(n, f),
        date: (d) => formatDate(d, f),
        dateTime: (t) => formatDateTime(t, f),
        relative: (t) => formatRelative(t, f),
      },
    };
  }, [locale, setLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error("useI18n() outside <I18nProvider>");
  return i18n;
}

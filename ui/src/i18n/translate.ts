/**
 * Message lookup: the two catalogues, plural choice and `{name}` placeholders. Pure (no
 * React, no browser state), so it is tested directly.
 */

import { formatCount } from "../format/number";
import type { Message } from "./catalogue";
import { type Catalogue, en, type Key } from "./en";
import { zhCN } from "./zh-CN";

/** The languages the app speaks. */
export const LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof LOCALES)[number];

export const catalogues: Readonly<Record<Locale, Catalogue>> = { en, "zh-CN": zhCN };

/** Each language's name in itself, for the language switch (deliberately not translated). */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { en: "English", "zh-CN": "中文" };

export type Params = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{(\w+)\}/g;

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

function choose(message: Message, locale: Locale, count: unknown): string {
  if (typeof message === "string") return message;
  const rule = typeof count === "number" ? new Intl.PluralRules(locale).select(count) : "other";
  return message[rule] ?? message.other;
}

/**
 * The message `key` in `locale`, with `{name}` replaced by `params.name` (numbers formatted
 * for the locale). `params.count` also picks the plural form.
 */
export function translate(locale: Locale, key: Key, params?: Params): string {
  const text = choose(catalogues[locale][key], locale, params?.count);
  if (!params) return text;
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? formatCount(value, locale) : value;
  });
}

/** The placeholder names a message uses (every plural form), sorted. */
export function placeholders(message: Message): string[] {
  const texts = typeof message === "string" ? [message] : Object.values(message);
  const names = new Set<string>();
  for (const text of texts) for (const m of text.matchAll(PLACEHOLDER)) names.add(m[1] ?? "");
  return [...names].sort();
}

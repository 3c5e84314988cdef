/**
 * The shape of a message catalogue. A message is a string with `{name}` placeholders, or
 * plural forms chosen by `Intl.PluralRules` (`other` always, `one` etc. where the language
 * has them: English does, Chinese does not).
 *
 * Each language's catalogue is split by area (`en/accounts.ts`, `zh-CN/accounts.ts`, ...)
 * and merged in `en.ts` / `zh-CN.ts`; an area's translation has exactly its English keys.
 */

export type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type Message = string | Plural;

/** Another language's part for an English area: every key, nothing else. */
export type Translation<T> = { readonly [K in keyof T]: Message };

/**
 * The shape of a message catalogue. A message is a string with `{name}` placeholders, or
 * plural forms chosen by `Intl.PluralRules` (`other` always, `one` etc. where the language
 * has them: English does, Chinese does not).
 */

export type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type Message = string | Plural;

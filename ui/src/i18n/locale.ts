/**
 * Which language to show (remembered on this device) and which locale formats numbers and
 * dates: the user's own regional variant when it matches the chosen language (an `en-GB`
 * system shows English with British dates), otherwise the language itself.
 */

import { isLocale, type Locale } from "./translate";

const STORAGE_KEY = "fieldbook.locale";

/** The language chosen before on this device, else the first the system prefers. */
export function initialLocale(
  stored: string | null = readStored(),
  preferred: readonly string[] = navigator.languages,
): Locale {
  if (isLocale(stored)) return stored;
  for (const tag of preferred) {
    const lang = tag.toLowerCase();
    if (lang.startsWith("zh")) return "zh-CN";
    if (lang.startsWith("en")) return "en";
  }
  return "en";
}

/** The BCP 47 locale that `Intl` formats with for `locale`. */
export function formatLocale(locale: Locale, preferred: readonly string[] = navigator.languages): string {
  if (locale !== "en") return locale;
  return preferred.find((tag) => /^en-/i.test(tag)) ?? "en";
}

function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function storeLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Storage unavailable (private mode): the choice lasts until the window closes.
  }
}

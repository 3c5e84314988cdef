import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { en, type Key } from "./en";
import { formatLocale, initialLocale } from "./locale";
import { catalogues, LOCALES, placeholders, translate } from "./translate";

const SRC = join(import.meta.dirname, "..");
const CATALOGUES = new Set(["en.ts", "zh-CN.ts"]);
/** The catalogues' parts, one file per area. */
const CATALOGUE_DIRS = [join(SRC, "i18n", "en"), join(SRC, "i18n", "zh-CN")];

/** Every source file of the app except the catalogues themselves and tests. */
function sources(dir: string = SRC): { path: string; text: string }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return CATALOGUE_DIRS.includes(path) ? [] : sources(path);
    if (!/\.tsx?$/.test(name) || /\.test\.tsx?$/.test(name) || CATALOGUES.has(name)) return [];
    return [{ path, text: readFileSync(path, "utf8") }];
  });
}

describe("catalogues", () => {
  const keys = Object.keys(en).sort();

  it.each(LOCALES)("%s has exactly the keys of en", (locale) => {
    expect(Object.keys(catalogues[locale]).sort()).toEqual(keys);
  });

  it.each(LOCALES)("%s has no empty message and the plural forms its language uses", (locale) => {
    const rules = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
    for (const [key, message] of Object.entries(catalogues[locale])) {
      const forms = typeof message === "string" ? { other: message } : message;
      for (const [form, text] of Object.entries(forms)) {
        expect(text.trim(), `${locale} ${key} ${form}`).not.toBe("");
        expect(rules, `${locale} ${key}: ${form} is not a plural form of ${locale}`).toContain(form);
      }
      if (typeof message !== "string") {
        for (const rule of rules) expect(Object.keys(message), `${locale} ${key} lacks ${rule}`).toContain(rule);
      }
    }
  });

  it("use the same placeholders in every language", () => {
    for (const key of keys as Key[]) {
      const expected = placeholders(en[key]);
      for (const locale of LOCALES) {
        expect(placeholders(catalogues[locale][key]), `${locale} ${key}`).toEqual(expected);
      }
    }
  });

  it("are used: every key appears in the code", () => {
    const code = sources()
      .map((f) => f.text)
      .join("\n");
    const unused = keys.filter((key) => !code.includes(`"${key}"`));
    expect(unused, "keys no code uses: remove them from both catalogues").toEqual([]);
  });

  it("know every key the code asks for", () => {
    const unknown: string[] = [];
    for (const { path, text } of sources()) {
      for (const m of text.matchAll(/\bt\(\s*"([^"]+)"/g)) {
        const key = m[1] ?? "";
        if (!(key in en)) unknown.push(`${path}: ${key}`);
      }
    }
    expect(unknown).toEqual([]);
  });
});

describe("translate", () => {
  it("picks plural forms and formats numbers per locale", () => {
    expect(translate("en", "sync.pending", { count: 1 })).toBe("1 change waiting");
    expect(translate("en", "sync.pending", { count: 1234 })).toBe("1,234 changes waiting");
    expect(translate("zh-CN", "sync.pending", { count: 3 })).toBe("3 项更改待上传");
  });

  it("fills placeholders with text", () => {
    expect(translate("zh-CN", "today.greeting", { user: "王芳" })).toBe("您好，王芳");
    expect(translate("en", "nav.today")).toBe("Today");
  });

  it("leaves a placeholder without a value visible rather than dropping it", () => {
    expect(translate("en", "today.greeting", {})).toBe("Hello, {user}");
  });
});

describe("locale choice", () => {
  it("remembers the user's choice over the system's", () => {
    expect(initialLocale("zh-CN", ["en-US"])).toBe("zh-CN");
    expect(initialLocale("fr", ["zh-TW", "en"])).toBe("zh-CN");
    expect(initialLocale(null, ["de-DE", "en-GB"])).toBe("en");
    expect(initialLocale(null, ["de-DE"])).toBe("en");
  });

  it("formats English with the user's own region", () => {
    expect(formatLocale("en", ["de-DE", "en-GB"])).toBe("en-GB");
    expect(formatLocale("en", ["de-DE"])).toBe("en");
    expect(formatLocale("zh-CN", ["en-GB"])).toBe("zh-CN");
  });
});

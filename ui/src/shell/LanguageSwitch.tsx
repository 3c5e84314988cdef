/** Switches the language at run time: one button per language, named in that language. */

import { useI18n } from "../i18n/I18n";
import { LOCALE_NAMES, LOCALES } from "../i18n/translate";

const SHORT: Readonly<Record<(typeof LOCALES)[number], string>> = { en: "EN", "zh-CN": "中文" };

export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <fieldset className="language-switch">
      <legend className="visually-hidden">{t("language.label")}</legend>
      {LOCALES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-label={LOCALE_NAMES[l]}
          aria-pressed={l === locale}
          data-locale={l}
          onClick={() => setLocale(l)}
        >
          {SHORT[l]}
        </button>
      ))}
    </fieldset>
  );
}

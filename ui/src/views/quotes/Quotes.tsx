/**
 * Quotes and the quote editor (`#/quotes/ID`): the second part of issue 9, built in this
 * folder. The commands are there (`createRecord` of a quote, `addQuoteLine`,
 * `setQuoteLine`, `removeQuoteLine`: each answers the quote with totals computed in Rust);
 * until then the screen says so.
 */

import { useI18n } from "../../i18n/I18n";

export function Quotes({ id }: { id: string | null }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="quotes-title-h">
      <h1 id="quotes-title-h">{t("nav.quotes")}</h1>
      <p className="muted" data-id={id ?? undefined}>
        {t("screen.comingNext")}
      </p>
    </section>
  );
}

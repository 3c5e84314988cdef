/** Pieces every dashboard card uses: the card, a report's status, the charts' words. */

import { type ReactNode, useMemo } from "react";
import { errorMessage } from "../../api/api";
import { useI18n } from "../../i18n/I18n";
import { choiceLabel } from "../records/labels";
import type { ChartWords } from "./options";

/** The words and formats the charts use, for the language and the currency shown. */
export function useChartWords(currency: string): ChartWords {
  const { t, fmt, locale } = useI18n();
  return useMemo(() => {
    const compact = new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 });
    return {
      money: (amount) => fmt.money(amount, currency),
      tick: (n) => compact.format(n),
      count: (n) => fmt.count(n),
      percent: (p) => fmt.percent(p),
      stage: (s) => choiceLabel(t, "stage", s),
      deals: (count) => t("dashboard.deals", { count }),
      closed: t("dashboard.closed"),
      commit: t("dashboard.commit"),
      bestCase: t("dashboard.bestCase"),
      wonLost: (won, lost) => t("dashboard.wonLost", { won: fmt.count(won), lost: fmt.count(lost) }),
      recency: t("dashboard.recency"),
      frequency: t("dashboard.frequency"),
      cell: (r, f, count) => t("dashboard.rfmCell", { r, f, count: fmt.count(count) }),
    };
  }, [t, fmt, locale, currency]);
}

/** A card of the dashboard: a titled panel. */
export function Card({ id, title, hint, children }: { id: string; title: string; hint?: string; children: ReactNode }) {
  return (
    <section className="panel dash-card" aria-labelledby={`${id}-title`} data-card={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      {hint && <p className="muted dash-hint">{hint}</p>}
      {children}
    </section>
  );
}

/** A report's loading, failure or emptiness, or `null` when it has something to show. */
export function Status({ pending, error, empty }: { pending: boolean; error: unknown; empty: boolean }) {
  const { t } = useI18n();
  if (pending) return <p className="muted">{t("app.loading")}</p>;
  if (error) return <p role="alert">{errorMessage(error)}</p>;
  if (empty) return <p className="muted">{t("dashboard.none")}</p>;
  return null;
}

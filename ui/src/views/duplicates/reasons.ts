/** Why two records look alike, and how alike, in words (the import's summary uses it too). */

import type { Reason } from "../../api/api";
import type { I18n } from "../../i18n/I18n";

/** A score or a similarity from 0 to 1 as a whole percentage. */
function percent(fmt: I18n["fmt"], ratio: number): string {
  return fmt.percent(String(Math.round(ratio * 100)));
}

export function scoreText({ t, fmt }: Pick<I18n, "t" | "fmt">, score: number): string {
  return t("duplicates.score", { score: percent(fmt, score) });
}

export function reasonText({ t, fmt }: Pick<I18n, "t" | "fmt">, reason: Reason): string {
  switch (reason.reason) {
    case "same_name":
      return t("duplicates.reason.sameName");
    case "similar_name":
      return t("duplicates.reason.similarName", { similarity: percent(fmt, reason.similarity) });
    case "same_phone":
      return t("duplicates.reason.samePhone");
    case "same_email":
      return t("duplicates.reason.sameEmail");
    case "same_domain":
      return t("duplicates.reason.sameDomain", { domain: reason.domain });
  }
}

/** What a failed unlock, protect or re-key says, in the user's language where Rust's kind allows. */

import { ApiError, errorMessage } from "../../api/api";
import type { I18n } from "../../i18n/I18n";

export function passphraseError(t: I18n["t"], error: unknown, min: number): string {
  if (error instanceof ApiError) {
    switch (error.kind) {
      case "wrongPassphrase":
        return t("passphrase.wrong");
      case "weakPassphrase":
        return t("passphrase.weak", { min });
      case "storeInUse":
        return t("passphrase.inUse");
      default:
        break;
    }
  }
  return errorMessage(error);
}

/**
 * First run's choice: encrypt the new store with a passphrase (the default) or go on
 * without one. A place for "remember on this computer" (the OS keyring) is kept beside
 * the passphrase fields for when `fieldbook_client::at_rest` offers it.
 */

import { useI18n } from "../../i18n/I18n";
import { type NewPassphrase, PassphraseFields } from "./PassphraseFields";

export interface ProtectionChoice {
  protect: boolean;
  passphrase: NewPassphrase;
}

export function ProtectChoice({
  value,
  onChange,
  min,
  submitted,
  disabled,
}: {
  value: ProtectionChoice;
  onChange: (next: ProtectionChoice) => void;
  min: number;
  submitted: boolean;
  disabled: boolean;
}) {
  const { t } = useI18n();
  return (
    <fieldset className="protect-choice" disabled={disabled}>
      <legend>{t("protect.choice")}</legend>
      <label className="radio">
        <input
          type="radio"
          name="protect"
          value="passphrase"
          checked={value.protect}
          onChange={() => onChange({ ...value, protect: true })}
        />
        <span>
          {t("protect.withPassphrase")}
          <small className="muted">{t("protect.withPassphraseHint")}</small>
        </span>
      </label>
      {value.protect && (
        <PassphraseFields
          value={value.passphrase}
          onChange={(passphrase) => onChange({ ...value, passphrase })}
          min={min}
          submitted={submitted}
        />
      )}
      <label className="radio">
        <input
          type="radio"
          name="protect"
          value="none"
          checked={!value.protect}
          onChange={() => onChange({ ...value, protect: false })}
        />
        <span>
          {t("protect.without")}
          <small className="muted">{t("protect.withoutHint")}</small>
        </span>
      </label>
    </fieldset>
  );
}

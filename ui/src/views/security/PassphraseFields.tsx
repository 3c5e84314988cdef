/**
 * A new passphrase, typed twice (first run, encrypting a plain store, changing the
 * passphrase). How long it must be is Rust's rule (`AtRestInfo.minPassphrase`): the hint
 * says it, Rust refuses a shorter one with the reason. That both typings agree is this
 * form's own check.
 */

import { useId } from "react";
import { useI18n } from "../../i18n/I18n";

export interface NewPassphrase {
  first: string;
  second: string;
}

export const NO_PASSPHRASE: NewPassphrase = { first: "", second: "" };

/** Whether the second typing differs from the first (not merely shorter, while typing). */
export function differs(p: NewPassphrase, submitted: boolean): boolean {
  if (submitted) return p.first !== p.second;
  return p.second.length > 0 && !p.first.startsWith(p.second);
}

export function PassphraseFields({
  value,
  onChange,
  min,
  submitted,
  disabled = false,
}: {
  value: NewPassphrase;
  onChange: (next: NewPassphrase) => void;
  min: number;
  /** A submit was tried: a difference is shown even when the second is a prefix. */
  submitted: boolean;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const id = useId();
  const mismatch = differs(value, submitted);
  return (
    <div className="passphrase-fields">
      <label>
        <span>{t("passphrase.new")}</span>
        <input
          name="new-passphrase"
          type="password"
          value={value.first}
          onChange={(e) => onChange({ ...value, first: e.target.value })}
          required
          disabled={disabled}
          autoComplete="new-password"
          aria-describedby={`${id}-hint`}
        />
      </label>
      <label>
        <span>{t("passphrase.repeat")}</span>
        <input
          name="repeat-passphrase"
          type="password"
          value={value.second}
          onChange={(e) => onChange({ ...value, second: e.target.value })}
          required
          disabled={disabled}
          autoComplete="new-password"
          aria-invalid={mismatch}
          aria-describedby={mismatch ? `${id}-mismatch` : `${id}-hint`}
        />
      </label>
      <small id={`${id}-hint`} className="muted">
        {t("passphrase.hint", { min })}
      </small>
      {mismatch && (
        <p id={`${id}-mismatch`} className="error" role="alert" data-testid="passphrase-mismatch">
          {t("passphrase.mismatch")}
        </p>
      )}
    </div>
  );
}

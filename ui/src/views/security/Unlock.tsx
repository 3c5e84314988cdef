/**
 * The unlock screen: the store is encrypted and this app has not unlocked it. Nothing else
 * is reachable until the passphrase opens it; a wrong one is said plainly and the field is
 * selected to type again. (A "remember on this computer" checkbox belongs under the field
 * once the OS keyring is offered by `fieldbook_client::at_rest`.)
 */

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { LockKeyhole } from "lucide-react";
import { type FormEvent, useRef, useState } from "react";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { LanguageSwitch } from "../../shell/LanguageSwitch";
import { passphraseError } from "./messages";

export function Unlock({ dataDir, min }: { dataDir: string; min: number }) {
  const { t } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const [passphrase, setPassphrase] = useState("");
  const field = useRef<HTMLInputElement>(null);
  const unlock = useMutation({
    mutationFn: () => api.unlockStore(passphrase),
    onSuccess: () => {
      setPassphrase("");
      void queries.invalidateQueries({ queryKey: queryKeys.appInfo });
    },
    onError: () => field.current?.select(),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    unlock.mutate();
  };
  return (
    <main className="first-run unlock" id="main" tabIndex={-1}>
      <div className="first-run-lang">
        <LanguageSwitch />
      </div>
      <form className="card" onSubmit={submit} aria-labelledby="unlock-title">
        <h1 id="unlock-title" className="with-icon">
          <LockKeyhole aria-hidden="true" size={22} />
          {t("unlock.title")}
        </h1>
        <p>{t("unlock.intro")}</p>
        <label>
          <span>{t("unlock.passphrase")}</span>
          <input
            ref={field}
            name="passphrase"
            type="password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            required
            // biome-ignore lint/a11y/noAutofocus: the screen exists to type this one field
            autoFocus
            autoComplete="current-password"
            aria-invalid={unlock.isError}
            aria-describedby={unlock.isError ? "unlock-error" : undefined}
          />
        </label>
        {unlock.isError && (
          <p className="error" role="alert" id="unlock-error">
            {passphraseError(t, unlock.error, min)}
          </p>
        )}
        <button type="submit" className="primary" disabled={unlock.isPending}>
          {unlock.isPending ? t("unlock.working") : t("unlock.submit")}
        </button>
        <small className="muted unlock-store">{t("unlock.store", { dir: dataDir })}</small>
      </form>
    </main>
  );
}

/**
 * Settings' panel on encryption at rest: whether the store is encrypted; a plain store can
 * be encrypted with a new passphrase, an encrypted one given another passphrase. Either
 * writes a whole new copy of the store in Rust, on a worker thread: the window stays
 * responsive and shows that it works, and for how long, until it is done.
 */

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { LockKeyhole, LockKeyholeOpen } from "lucide-react";
import { type FormEvent, useEffect, useState } from "react";
import type { AtRestInfo } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { passphraseError } from "./messages";
import { differs, type NewPassphrase, NO_PASSPHRASE, PassphraseFields } from "./PassphraseFields";

/** An operation under way: what it does, an indeterminate bar and the seconds so far. */
function Working({ label }: { label: string }) {
  const { t } = useI18n();
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    const started = Date.now();
    const timer = setInterval(() => setSeconds(Math.floor((Date.now() - started) / 1000)), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <div className="working" role="status" data-testid="at-rest-working">
      <span>{label}</span>
      <progress aria-label={label} />
      <small className="muted">{t("atRest.working", { seconds })}</small>
    </div>
  );
}

function Rekey({ atRest, onDone }: { atRest: AtRestInfo; onDone: (message: string | null) => void }) {
  const { t } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState<NewPassphrase>(NO_PASSPHRASE);
  const [submitted, setSubmitted] = useState(false);
  const encrypting = !atRest.encrypted;
  const run = useMutation({
    mutationFn: () => (encrypting ? api.protectStore(next.first) : api.changePassphrase(current, next.first)),
    onSuccess: () => {
      setCurrent("");
      setNext(NO_PASSPHRASE);
      setSubmitted(false);
      onDone(encrypting ? t("atRest.encrypted.done") : t("atRest.changed"));
      void queries.invalidateQueries({ queryKey: queryKeys.appInfo });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    onDone(null);
    if (differs(next, true)) return;
    run.mutate();
  };
  const title = encrypting ? t("atRest.encrypt") : t("atRest.change");
  return (
    <form className="form rekey" onSubmit={submit} aria-label={title}>
      <h3>{title}</h3>
      {encrypting && <p className="muted">{t("atRest.encryptIntro")}</p>}
      {!encrypting && (
        <label>
          <span>{t("passphrase.current")}</span>
          <input
            name="current-passphrase"
            type="password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            required
            disabled={run.isPending}
            autoComplete="current-password"
          />
        </label>
      )}
      <PassphraseFields
        value={next}
        onChange={setNext}
        min={atRest.minPassphrase}
        submitted={submitted}
        disabled={run.isPending}
      />
      {run.isError && (
        <p className="error" role="alert">
          {passphraseError(t, run.error, atRest.minPassphrase)}
        </p>
      )}
      {run.isPending && <Working label={encrypting ? t("atRest.encrypting") : t("atRest.changing")} />}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={run.isPending}>
          {encrypting ? t("atRest.encrypt") : t("atRest.changeButton")}
        </button>
      </div>
    </form>
  );
}

export function AtRestPanel() {
  const { t } = useI18n();
  const api = useApi();
  const info = useQuery({ queryKey: queryKeys.appInfo, queryFn: api.appInfo });
  // Said here, not in the form: the form starts afresh once the store's protection changed.
  const [done, setDone] = useState<string | null>(null);
  const atRest = info.data?.atRest;
  if (!atRest) return null;
  const Icon = atRest.encrypted ? LockKeyhole : LockKeyholeOpen;
  return (
    <section className="panel at-rest" aria-labelledby="at-rest-title">
      <h2 id="at-rest-title">{t("atRest.title")}</h2>
      <p className="with-icon" data-testid="at-rest-status" data-encrypted={atRest.encrypted}>
        <Icon aria-hidden="true" size={18} />
        <span>{atRest.encrypted ? t("atRest.encrypted") : t("atRest.plain")}</span>
      </p>
      {done && (
        <p className="ok" role="status" data-testid="at-rest-done">
          {done}
        </p>
      )}
      <Rekey key={String(atRest.encrypted)} atRest={atRest} onDone={setDone} />
    </section>
  );
}

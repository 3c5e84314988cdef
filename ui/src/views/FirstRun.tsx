/**
 * First run: no store in the data directory yet. The rep names themself and a default
 * currency and starts working offline at once, or also gives their company's server and
 * password to sign in right away (the name is then their user name there). A sign-in that
 * fails leaves the store made, offline: try again, or go on and sign in later from
 * Settings. The new store is encrypted with a passphrase typed twice, unless the rep
 * chooses to go on without one. Errors (a bad currency code, a passphrase too short, a
 * wrong password) come from Rust and are shown beside the form.
 */

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { LoginOutcome } from "../api/api";
import { queryKeys, useApi } from "../api/context";
import { useI18n } from "../i18n/I18n";
import { LanguageSwitch } from "../shell/LanguageSwitch";
import { ProblemText } from "../shell/SyncBadge";
import { passphraseError } from "./security/messages";
import { differs, NO_PASSPHRASE } from "./security/PassphraseFields";
import { ProtectChoice, type ProtectionChoice } from "./security/ProtectChoice";

export function FirstRun({ minPassphrase }: { minPassphrase: number }) {
  const { t, locale } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const [user, setUser] = useState("");
  const [currency, setCurrency] = useState(locale === "zh-CN" ? "CNY" : "EUR");
  const [connect, setConnect] = useState(false);
  const [url, setUrl] = useState("");
  const [password, setPassword] = useState("");
  const [protection, setProtection] = useState<ProtectionChoice>({ protect: true, passphrase: NO_PASSPHRASE });
  const [submitted, setSubmitted] = useState(false);
  // The store, once made: a failed sign-in is tried again without making it twice.
  const [created, setCreated] = useState(false);
  const done = () => queries.invalidateQueries({ queryKey: queryKeys.appInfo });
  const start = useMutation({
    mutationFn: async (): Promise<LoginOutcome | null> => {
      if (!created) {
        await api.initStore(user, currency, protection.protect ? protection.passphrase.first : null);
        setCreated(true);
      }
      return connect ? api.login(url, user.trim(), password) : null;
    },
    onSuccess: (outcome) => {
      if (!outcome?.problem) void done();
    },
  });
  const problem = start.data?.problem;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!created && protection.protect && differs(protection.passphrase, true)) return;
    start.mutate();
  };

  return (
    <main className="first-run" id="main" tabIndex={-1}>
      <div className="first-run-lang">
        <LanguageSwitch />
      </div>
      <form className="card" onSubmit={submit} aria-labelledby="first-run-title">
        <h1 id="first-run-title">{t("firstRun.title")}</h1>
        <p>{t("firstRun.intro")}</p>
        <label>
          <span>{t("firstRun.name")}</span>
          <input
            name="user"
            value={user}
            onChange={(e) => setUser(e.target.value)}
            required
            disabled={created}
            autoComplete="username"
            aria-describedby="user-hint"
          />
          <small id="user-hint">{t("firstRun.nameHint")}</small>
        </label>
        <label>
          <span>{t("firstRun.currency")}</span>
          <input
            name="currency"
            value={currency}
            onChange={(e) => setCurrency(e.target.value.toUpperCase())}
            required
            disabled={created}
            maxLength={3}
            pattern="[A-Za-z]{3}"
            aria-describedby="currency-hint"
            autoComplete="off"
          />
          <small id="currency-hint">{t("firstRun.currencyHint")}</small>
        </label>
        <ProtectChoice
          value={protection}
          onChange={(next) => {
            setProtection(next);
            start.reset();
          }}
          min={minPassphrase}
          submitted={submitted}
          disabled={created}
        />
        <label className="check">
          <input type="checkbox" name="connect" checked={connect} onChange={(e) => setConnect(e.target.checked)} />
          <span>{t("firstRun.connect")}</span>
        </label>
        {connect && (
          <>
            <label>
              <span>{t("settings.url")}</span>
              <input
                name="url"
                type="url"
                value={url}
                onChange={(e) => setUrl(e.target.value)}
                placeholder="https://crm.example.com"
                required
                autoComplete="url"
              />
            </label>
            <label>
              <span>{t("settings.password")}</span>
              <input
                name="password"
                type="password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                required
                autoComplete="current-password"
              />
            </label>
          </>
        )}
        {start.isError && (
          <p className="error" role="alert">
            {passphraseError(t, start.error, minPassphrase)}
          </p>
        )}
        {problem && (
          <p className="error" role="alert" data-problem={problem.kind}>
            <ProblemText problem={problem} />
          </p>
        )}
        <button type="submit" className="primary" disabled={start.isPending}>
          {start.isPending ? t("firstRun.starting") : connect ? t("firstRun.startConnected") : t("firstRun.start")}
        </button>
        {created && problem && (
          <button type="button" className="plain" onClick={() => void done()}>
            {t("firstRun.continueOffline")}
          </button>
        )}
      </form>
    </main>
  );
}

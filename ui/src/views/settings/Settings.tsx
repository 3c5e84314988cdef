/**
 * Settings: the server this device syncs with (sign in with address, user name and
 * password; sign out), the language, the default currency, encryption at rest, the way to
 * bring data in and tidy it (import, duplicates), and the facts of this device.
 * Signing in is the one thing here that waits on the network; the rest of the app stays
 * usable meanwhile.
 */

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { errorMessage, type StoreInfo } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { LanguageSwitch } from "../../shell/LanguageSwitch";
import { ProblemText } from "../../shell/SyncBadge";
import { FollowUpSettings } from "./FollowUpSettings";
import { DataPanel } from "../import/DataPanel";
import { AtRestPanel } from "../security/AtRestPanel";

function SignIn({ server }: { server: string | null }) {
  const { t } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const [url, setUrl] = useState(server ?? "");
  const [user, setUser] = useState("");
  const [password, setPassword] = useState("");
  const login = useMutation({
    mutationFn: () => api.login(url, user, password),
    onSuccess: (outcome) => {
      if (outcome.state) {
        setPassword("");
        queries.setQueryData(queryKeys.syncState, outcome.state);
      }
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate();
  };
  const problem = login.data?.problem;
  return (
    <form className="form panel" onSubmit={submit} aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">{t("settings.signIn")}</h2>
      <p className="muted">{t("settings.signInIntro")}</p>
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
      <div className="form-row">
        <label>
          <span>{t("settings.userName")}</span>
          <input
            name="login-user"
            value={user}
            onChange={(e) => setUser(e.target.value)}
            required
            autoComplete="username"
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
      </div>
      {problem && (
        <p className="error" role="alert" data-problem={problem.kind}>
          <ProblemText problem={problem} />
        </p>
      )}
      {login.isError && (
        <p className="error" role="alert">
          {errorMessage(login.error)}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={login.isPending}>
          {login.isPending ? t("settings.signingIn") : t("settings.signInButton")}
        </button>
      </div>
    </form>
  );
}

function SignedIn({ server, user, pending }: { server: string; user: string; pending: number }) {
  const { t } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const logout = useMutation({
    mutationFn: () => api.logout(),
    onSuccess: (state) => queries.setQueryData(queryKeys.syncState, state),
  });
  return (
    <section className="panel" aria-labelledby="server-title">
      <h2 id="server-title">{t("settings.server")}</h2>
      <p data-testid="signed-in">{t("settings.signedInAs", { user, server })}</p>
      {pending > 0 && <p className="muted">{t("settings.pendingOnSignOut", { count: pending })}</p>}
      {logout.isError && (
        <p className="error" role="alert">
          {errorMessage(logout.error)}
        </p>
      )}
      <button type="button" onClick={() => logout.mutate()} disabled={logout.isPending}>
        {t("settings.signOut")}
      </button>
    </section>
  );
}

function Currency({ store }: { store: StoreInfo }) {
  const { t } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const [code, setCode] = useState(store.defaultCurrency);
  const save = useMutation({
    mutationFn: () => api.setDefaultCurrency(code),
    onSuccess: () => queries.invalidateQueries({ queryKey: queryKeys.appInfo }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="form-row currency-form" onSubmit={submit}>
      <label>
        <span>{t("settings.currency")}</span>
        <input
          name="currency"
          value={code}
          maxLength={3}
          onChange={(e) => setCode(e.target.value.toUpperCase())}
          aria-describedby="currency-hint"
          autoComplete="off"
        />
      </label>
      <button type="submit" disabled={save.isPending || code === store.defaultCurrency}>
        {t("action.save")}
      </button>
      <small id="currency-hint" className="muted">
        {t("firstRun.currencyHint")}
      </small>
      {save.isError && (
        <p className="error" role="alert">
          {errorMessage(save.error)}
        </p>
      )}
    </form>
  );
}

export function Settings({ store, dataDir, version }: { store: StoreInfo; dataDir: string; version: string }) {
  const { t } = useI18n();
  const api = useApi();
  const sync = useQuery({ queryKey: queryKeys.syncState, queryFn: () => api.syncState() });
  const state = sync.data;
  const rows: [string, string][] = [
    [t("settings.user"), store.user],
    [t("settings.currency"), store.defaultCurrency],
    [t("settings.server"), state?.server ?? t("settings.noServer")],
    [t("settings.device"), store.deviceCode],
    [t("settings.dataDir"), dataDir],
    [t("settings.version"), version],
  ];
  return (
    <section className="settings" aria-labelledby="settings-title">
      <h1 id="settings-title">{t("nav.settings")}</h1>
      {state?.server && state.user ? (
        <SignedIn server={state.server} user={state.user} pending={state.pending} />
      ) : (
        <SignIn server={state?.server ?? null} />
      )}
      <section className="panel" aria-labelledby="prefs-title">
        <h2 id="prefs-title">{t("settings.preferences")}</h2>
        <div className="label-like">
          <span>{t("language.label")}</span>
          <LanguageSwitch />
        </div>
        <Currency key={store.defaultCurrency} store={store} />
      </section>
      <FollowUpSettings />
      <AtRestPanel />
      <DataPanel />
      <section className="panel" aria-labelledby="device-title">
        <h2 id="device-title">{t("settings.store")}</h2>
        <dl className="facts">
          {rows.map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </section>
    </section>
  );
}

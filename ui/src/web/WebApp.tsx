/**
 * The managers' web page: the same front-end in a browser, over the HTTP transport, served
 * by the sync server. Signing in asks the server (the token stays in this page's memory);
 * then the team's reports, computed by the server from its data, and — for managers and
 * admins — the hand-over. Reps see their own figures, read-only.
 */

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowRightLeft, ChartColumn, LogOut } from "lucide-react";
import { type CSSProperties, type FormEvent, lazy, Suspense, useState } from "react";
import { errorMessage } from "../api/api";
import { queryKeys, useApi } from "../api/context";
import { useI18n } from "../i18n/I18n";
import { LanguageSwitch } from "../shell/LanguageSwitch";
import { href, SCREEN_TITLES, useRoute } from "../shell/routes";

const Dashboard = lazy(() => import("../views/dashboard/Dashboard").then((m) => ({ default: m.Dashboard })));
const Handover = lazy(() => import("../views/handover/Handover").then((m) => ({ default: m.Handover })));

function SignIn() {
  const { t } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const [user, setUser] = useState("");
  const [password, setPassword] = useState("");
  const login = useMutation({
    mutationFn: () => api.login(window.location.origin, user.trim(), password),
    onSuccess: (outcome) => queries.setQueryData(queryKeys.syncState, outcome.state),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate();
  };
  return (
    <main className="web-sign-in">
      <div className="web-sign-in-head">
        <span className="brand">{t("app.name")}</span>
        <LanguageSwitch />
      </div>
      <form className="form panel" onSubmit={submit} aria-labelledby="web-sign-in-title">
        <h1 id="web-sign-in-title">{t("web.signIn")}</h1>
        <label>
          <span>{t("settings.userName")}</span>
          <input name="user" autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} required />
        </label>
        <label>
          <span>{t("settings.password")}</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {login.isError && <p role="alert">{errorMessage(login.error)}</p>}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={login.isPending}>
            {t("settings.signInButton")}
          </button>
        </div>
      </form>
    </main>
  );
}

export function WebApp() {
  const { t } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const route = useRoute();
  const state = useQuery({ queryKey: queryKeys.syncState, queryFn: () => api.syncState() });
  const logout = useMutation({
    mutationFn: () => api.logout(),
    onSuccess: (s) => {
      queries.clear();
      queries.setQueryData(queryKeys.syncState, s);
    },
  });
  const me = state.data;
  if (!me?.user) return state.isPending ? null : <SignIn />;
  const manager = me.role === "manager" || me.role === "admin";
  const screen = manager && route.screen === "handover" ? "handover" : "team";
  const screens = manager ? (["team", "handover"] as const) : (["team"] as const);
  return (
    <div className="shell web">
      <header className="topbar">
        <span className="brand">{t("app.name")}</span>
        <span className="web-user" data-testid="web-user">
          {t("web.signedInAs", { user: me.user })}
        </span>
        <LanguageSwitch />
        <button type="button" className="small" onClick={() => logout.mutate()}>
          <LogOut aria-hidden="true" size={16} />
          {t("settings.signOut")}
        </button>
      </header>
      <nav className="nav" aria-label={t("nav.label")}>
        <ul style={{ "--nav-items": screens.length } as CSSProperties}>
          {screens.map((s) => {
            const Icon = s === "team" ? ChartColumn : ArrowRightLeft;
            return (
              <li key={s}>
                <a href={href(s)} aria-current={s === screen ? "page" : undefined} data-screen={s}>
                  <Icon aria-hidden="true" size={20} />
                  <span>{t(SCREEN_TITLES[s])}</span>
                </a>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main" tabIndex={-1} data-screen={screen}>
        <Suspense fallback={null}>{screen === "team" ? <Dashboard /> : <Handover />}</Suspense>
      </main>
    </div>
  );
}

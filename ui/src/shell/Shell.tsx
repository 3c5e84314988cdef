/**
 * The app's frame around every screen: header (name, global search, sync state, language),
 * the main navigation and the screen itself. Works from a phone's 390 px to a desktop.
 */

import type { ReactNode } from "react";
import { useI18n } from "../i18n/I18n";
import { GlobalSearch } from "./GlobalSearch";
import { Help } from "./Help";
import { LanguageSwitch } from "./LanguageSwitch";
import { Nav } from "./Nav";
import type { Route } from "./routes";
import { SyncBadge } from "./SyncBadge";

export function Shell({ route, children }: { route: Route; children: ReactNode }) {
  const { t } = useI18n();
  const skip = () => document.getElementById("main")?.focus();
  return (
    <div className="shell">
      <button type="button" className="skip-link" onClick={skip}>
        {t("app.skipToContent")}
      </button>
      <header className="topbar">
        <span className="brand">{t("app.name")}</span>
        <GlobalSearch initial={route.query} />
        <SyncBadge />
        <LanguageSwitch />
        <Help />
      </header>
      <Nav current={route.screen} />
      <main id="main" tabIndex={-1} data-screen={route.screen}>
        {children}
      </main>
    </div>
  );
}

/**
 * The app's places, as URL hashes (`#/accounts`, `#/search?q=青岛`): real links, so the back
 * button, new-window and keyboard focus behave as on any page. No router library yet; the
 * screens may bring one (TanStack Router) when pages take parameters.
 */

import { useEffect, useState } from "react";
import type { Key } from "../i18n/en";

export const SCREENS = ["today", "accounts", "pipeline", "quotes", "tasks", "search", "settings"] as const;
export type Screen = (typeof SCREENS)[number];

export interface Route {
  screen: Screen;
  /** The search text, on the search screen. */
  query: string;
}

/** Each screen's name in the catalogues (written out so the i18n test sees every key used). */
export const SCREEN_TITLES: Readonly<Record<Screen, Key>> = {
  today: "nav.today",
  accounts: "nav.accounts",
  pipeline: "nav.pipeline",
  quotes: "nav.quotes",
  tasks: "nav.tasks",
  search: "nav.search",
  settings: "nav.settings",
};

function isScreen(value: string): value is Screen {
  return (SCREENS as readonly string[]).includes(value);
}

export function parseHash(hash: string): Route {
  const [path = "", search = ""] = hash.replace(/^#\/?/, "").split("?", 2);
  return {
    screen: isScreen(path) ? path : "today",
    query: new URLSearchParams(search).get("q") ?? "",
  };
}

export function href(screen: Screen, query?: string): string {
  return query ? `#/${screen}?${new URLSearchParams({ q: query })}` : `#/${screen}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

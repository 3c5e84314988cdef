/**
 * The app's places, as URL hashes: a screen (`#/accounts`), a record on it
 * (`#/accounts/ID`, `#/leads/ID`, `#/pipeline/ID` for a deal, `#/quotes/ID`), a search
 * (`#/search?q=青岛`).
 * Real links, so the back button, new-window and keyboard focus behave as on any page.
 */

import { useEffect, useState } from "react";
import type { Kind } from "../api/api";
import type { Key } from "../i18n/en";

export const SCREENS = [
  "today",
  "accounts",
  "leads",
  "pipeline",
  "quotes",
  "tasks",
  "team",
  "handover",
  "search",
  "settings",
  "import",
  "duplicates",
] as const;
export type Screen = (typeof SCREENS)[number];

export interface Route {
  screen: Screen;
  /** The record shown on the screen (an account on `accounts`, a deal on `pipeline`, ...). */
  id: string | null;
  /** The search text, on the search screen. */
  query: string;
}

/** Each screen's name in the catalogues (written out so the i18n test sees every key used). */
export const SCREEN_TITLES: Readonly<Record<Screen, Key>> = {
  today: "nav.today",
  accounts: "nav.accounts",
  leads: "nav.leads",
  pipeline: "nav.pipeline",
  quotes: "nav.quotes",
  tasks: "nav.tasks",
  team: "nav.team",
  handover: "nav.handover",
  search: "nav.search",
  settings: "nav.settings",
  import: "import.title",
  duplicates: "duplicates.title",
};

/** Screens for managers and admins only (the team's figures, handing accounts over). */
export const MANAGER_SCREENS: ReadonlySet<Screen> = new Set(["team", "handover"]);

/** Screens reached from another screen rather than from the navigation. */
const INNER_SCREENS: ReadonlySet<Screen> = new Set(["handover", "import", "duplicates"]);

/** The screens the navigation offers to a user of `role` (the role of the last sign-in). */
export function navScreens(role: string | null): Screen[] {
  const manager = role === "manager" || role === "admin";
  return SCREENS.filter((s) => !INNER_SCREENS.has(s) && (manager || !MANAGER_SCREENS.has(s)));
}

function isScreen(value: string): value is Screen {
  return (SCREENS as readonly string[]).includes(value);
}

const ID = /^[0-9a-f-]{36}$/i;

export function parseHash(hash: string): Route {
  const [path = "", search = ""] = hash.replace(/^#\/?/, "").split("?", 2);
  const [screen = "", id = ""] = path.split("/", 2);
  return {
    screen: isScreen(screen) ? screen : "today",
    id: isScreen(screen) && ID.test(id) ? id.toLowerCase() : null,
    query: new URLSearchParams(search).get("q") ?? "",
  };
}

export function href(screen: Screen, query?: string): string {
  return query ? `#/${screen}?${new URLSearchParams({ q: query })}` : `#/${screen}`;
}

/** Where a record is shown: an account's page shows its contacts, activities and tasks too. */
export function recordHref(kind: Kind, id: string, accountId?: string | null): string {
  switch (kind) {
    case "account":
      return `#/accounts/${id}`;
    case "opportunity":
      return `#/pipeline/${id}`;
    case "quote":
      return `#/quotes/${id}`;
    case "lead":
      return `#/leads/${id}`;
    case "product":
      return href("quotes");
    default:
      return accountId ? `#/accounts/${accountId}` : href("tasks");
  }
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

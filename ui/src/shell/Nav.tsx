/** The main navigation: a side bar on wide windows, a bottom tab bar on narrow ones. */

import { useQuery } from "@tanstack/react-query";
import {
  ArrowRightLeft,
  Building2,
  CalendarCheck,
  ChartColumn,
  Copy,
  FileText,
  Kanban,
  ListTodo,
  type LucideIcon,
  Search,
  Settings,
  Upload,
  UserPlus,
} from "lucide-react";
import type { CSSProperties } from "react";
import { queryKeys, useApi } from "../api/context";
import { useI18n } from "../i18n/I18n";
import { href, navScreens, SCREEN_TITLES, type Screen } from "./routes";

const ICONS: Readonly<Record<Screen, LucideIcon>> = {
  today: CalendarCheck,
  accounts: Building2,
  leads: UserPlus,
  pipeline: Kanban,
  quotes: FileText,
  tasks: ListTodo,
  team: ChartColumn,
  handover: ArrowRightLeft,
  import: Upload,
  duplicates: Copy,
  search: Search,
  settings: Settings,
};

export function Nav({ current }: { current: Screen }) {
  const { t } = useI18n();
  const api = useApi();
  const sync = useQuery({ queryKey: queryKeys.syncState, queryFn: () => api.syncState() });
  const screens = navScreens(sync.data?.role ?? null);
  return (
    <nav className="nav" aria-label={t("nav.label")}>
      {/* The bottom bar's columns: search is the header's field on a narrow window. */}
      <ul style={{ "--nav-items": screens.filter((s) => s !== "search").length } as CSSProperties}>
        {screens.map((screen) => {
          const Icon = ICONS[screen];
          return (
            <li key={screen} className={`nav-${screen}`}>
              <a href={href(screen)} aria-current={screen === current ? "page" : undefined} data-screen={screen}>
                <Icon aria-hidden="true" size={20} />
                <span>{t(SCREEN_TITLES[screen])}</span>
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** The main navigation: a side bar on wide windows, a bottom tab bar on narrow ones. */

import {
  Building2,
  CalendarCheck,
  FileText,
  Kanban,
  ListTodo,
  type LucideIcon,
  Search,
  Settings,
  UserPlus,
} from "lucide-react";
import { useI18n } from "../i18n/I18n";
import { href, type NavScreen, SCREEN_TITLES, SCREENS, type Screen } from "./routes";

const ICONS: Readonly<Record<NavScreen, LucideIcon>> = {
  today: CalendarCheck,
  accounts: Building2,
  leads: UserPlus,
  pipeline: Kanban,
  quotes: FileText,
  tasks: ListTodo,
  search: Search,
  settings: Settings,
};

export function Nav({ current }: { current: Screen }) {
  const { t } = useI18n();
  return (
    <nav className="nav" aria-label={t("nav.label")}>
      <ul>
        {SCREENS.map((screen) => {
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

/**
 * The app: opens the store, then shows the unlock screen (an encrypted store not unlocked
 * yet: nothing else is reachable), the first-run form, or the shell with a screen.
 */

import { useQuery } from "@tanstack/react-query";
import { errorMessage } from "./api/api";
import { queryKeys, useApi, useLiveUpdates } from "./api/context";
import { useI18n } from "./i18n/I18n";
import { useRoute } from "./shell/routes";
import { Shell } from "./shell/Shell";
import { QuickLog } from "./views/activity/QuickLog";
import { FirstRun } from "./views/FirstRun";
import { LeadCapture } from "./views/leads/LeadCapture";
import { ScreenView } from "./views/pages";
import { ReminderNotifier } from "./views/reminders/ReminderNotifier";
import { Unlock } from "./views/security/Unlock";
import { DueNotifier } from "./views/tasks/DueNotifier";

export function App() {
  const { t } = useI18n();
  const api = useApi();
  const route = useRoute();
  useLiveUpdates();
  const info = useQuery({ queryKey: queryKeys.appInfo, queryFn: api.appInfo, staleTime: Number.POSITIVE_INFINITY });

  if (info.isPending) return <p className="splash">{t("app.loading")}</p>;
  if (info.isError) {
    return (
      <div className="splash" role="alert">
        <h1>{t("app.failed")}</h1>
        <p>{errorMessage(info.error)}</p>
      </div>
    );
  }
  const { store, dataDir, version, atRest } = info.data;
  if (atRest.locked) return <Unlock dataDir={dataDir} min={atRest.minPassphrase} />;
  if (!store) return <FirstRun minPassphrase={atRest.minPassphrase} />;
  const pageAccount = route.screen === "accounts" ? route.id : null;
  return (
    <Shell route={route}>
      <ScreenView route={route} store={store} dataDir={dataDir} version={version} />
      <QuickLog pageAccount={pageAccount} />
      <LeadCapture />
      <DueNotifier />
      <ReminderNotifier />
    </Shell>
  );
}

/**
 * The screens inside the shell. Today and Settings show the store's real state; the others
 * are built in the next step (issue 9) on the typed client API, and say so.
 */

import { useQuery } from "@tanstack/react-query";
import type { StoreInfo } from "../api/api";
import { queryKeys, useApi } from "../api/context";
import { useI18n } from "../i18n/I18n";
import { type Route, SCREEN_TITLES, type Screen } from "../shell/routes";

function Heading({ screen }: { screen: Screen }) {
  const { t } = useI18n();
  return <h1>{t(SCREEN_TITLES[screen])}</h1>;
}

function Today({ store }: { store: StoreInfo }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="today-title">
      <h1 id="today-title">{t("nav.today")}</h1>
      <p className="lead" data-testid="greeting">
        {t("today.greeting", { user: store.user })}
      </p>
      <p>{t("today.summary")}</p>
    </section>
  );
}

function Settings({ store, dataDir, version }: { store: StoreInfo; dataDir: string; version: string }) {
  const { t } = useI18n();
  const api = useApi();
  const sync = useQuery({ queryKey: queryKeys.syncStatus, queryFn: api.syncStatus });
  const rows: [string, string][] = [
    [t("settings.user"), store.user],
    [t("settings.currency"), store.defaultCurrency],
    [t("settings.server"), sync.data?.server ?? t("settings.noServer")],
    [t("settings.device"), store.deviceCode],
    [t("settings.dataDir"), dataDir],
    [t("settings.version"), version],
  ];
  return (
    <section>
      <Heading screen="settings" />
      <h2>{t("settings.store")}</h2>
      <dl className="facts">
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function NextStep({ screen, query }: { screen: Screen; query: string }) {
  const { t } = useI18n();
  return (
    <section>
      <Heading screen={screen} />
      {query && <p className="lead">“{query}”</p>}
      <p className="muted">{t("screen.comingNext")}</p>
    </section>
  );
}

export function ScreenView({
  route,
  store,
  dataDir,
  version,
}: {
  route: Route;
  store: StoreInfo;
  dataDir: string;
  version: string;
}) {
  switch (route.screen) {
    case "today":
      return <Today store={store} />;
    case "settings":
      return <Settings store={store} dataDir={dataDir} version={version} />;
    default:
      return <NextStep screen={route.screen} query={route.query} />;
  }
}

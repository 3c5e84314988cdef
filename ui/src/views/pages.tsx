/**
 * Which view each screen shows (with the record of the route, when there is one). Each
 * area lives in its own folder (views/AREA/) with its own catalogue part and style sheet;
 * this table is the one place that names them.
 */

import { lazy, Suspense } from "react";
import type { StoreInfo } from "../api/api";
import type { Route } from "../shell/routes";
import { AccountPage } from "./account/AccountPage";
import { Accounts } from "./accounts/Accounts";
import { LeadPage } from "./leads/LeadPage";
import { Leads } from "./leads/Leads";
import { Duplicates } from "./duplicates/Duplicates";
import { ImportWizard } from "./import/ImportWizard";
import { Pipeline } from "./pipeline/Pipeline";
import { Quotes } from "./quotes/Quotes";
import { SearchScreen } from "./search/SearchScreen";
import { Settings } from "./settings/Settings";
import { Tasks } from "./tasks/Tasks";

// The managers' screens load on first use: their chart library stays out of the reps' start.
const Dashboard = lazy(() => import("./dashboard/Dashboard").then((m) => ({ default: m.Dashboard })));
const Handover = lazy(() => import("./handover/Handover").then((m) => ({ default: m.Handover })));

import { Today } from "./today/Today";

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
    case "accounts":
      return route.id ? <AccountPage key={route.id} id={route.id} /> : <Accounts />;
    case "leads":
      return route.id ? <LeadPage key={route.id} id={route.id} /> : <Leads />;
    case "pipeline":
      return <Pipeline id={route.id} />;
    case "quotes":
      return <Quotes id={route.id} />;
    case "tasks":
      return <Tasks />;
    case "team":
      return (
        <Suspense fallback={null}>
          <Dashboard />
        </Suspense>
      );
    case "handover":
      return (
        <Suspense fallback={null}>
          <Handover />
        </Suspense>
      );
    case "search":
      return <SearchScreen query={route.query} />;
    case "settings":
      return <Settings store={store} dataDir={dataDir} version={version} />;
    case "import":
      return <ImportWizard />;
    case "duplicates":
      return <Duplicates />;
  }
}

/**
 * Knowledge at risk: every device of the team as the server last heard from it — when it
 * synced, how many changes it held that the server did not have yet, whether it was wiped —
 * with the server's warnings (no sync for its `warn_days`, unsynced changes). Asked of the
 * server, in the app as on the web page.
 */

import { useQuery } from "@tanstack/react-query";
import type { DeviceStatus, TeamStatus } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { Card, Status } from "./parts";

/** A device with its user. */
export type TeamDevice = DeviceStatus & { user: string };

/** Every member's devices, the most at risk first: flagged, more unsynced changes, longer silent. */
export function devicesByRisk(team: TeamStatus, owner: string | null): TeamDevice[] {
  const all = team.members
    .filter((m) => owner === null || m.user === owner)
    .flatMap((m) => m.devices.map((d) => ({ ...d, user: m.user })));
  const silent = (d: TeamDevice) => d.days_since_sync ?? Number.MAX_SAFE_INTEGER;
  return all.sort(
    (a, b) =>
      b.warnings.length - a.warnings.length ||
      b.pending - a.pending ||
      silent(b) - silent(a) ||
      a.user.localeCompare(b.user),
  );
}

export function DevicesCard({ owner }: { owner: string | null }) {
  const { t, fmt } = useI18n();
  const api = useApi();
  const team = useQuery({ queryKey: queryKeys.teamStatus, queryFn: () => api.teamStatus() });
  const shown = team.data ? devicesByRisk(team.data, owner) : [];
  return (
    <Card id="devices" title={t("dashboard.devices")} hint={t("dashboard.devicesHint")}>
      <Status pending={team.isPending} error={team.error} empty={!team.isPending && shown.length === 0} />
      <ul className="list" data-testid="devices">
        {shown.map((d) => (
          <li key={d.device_id} className="row" data-user={d.user} data-warnings={d.warnings.join(" ")}>
            <span className="row-title">
              {d.user} <span className="muted">{d.name}</span>
            </span>
            <span className="row-meta">
              {d.wiped && <span className="chip">{t("dashboard.wiped")}</span>}
              {d.warnings.includes("pending") && (
                <span className="chip warn">{t("dashboard.pending", { count: d.pending })}</span>
              )}
              {d.warnings.includes("not_synced") && d.days_since_sync !== null && (
                <span className="chip warn">{t("dashboard.silent", { count: d.days_since_sync })}</span>
              )}
              <span className="muted">
                {d.last_sync
                  ? t("dashboard.lastSync", { when: fmt.relative(d.last_sync) })
                  : t("dashboard.neverSynced")}
              </span>
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

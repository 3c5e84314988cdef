/**
 * Knowledge at risk: every device of the team as the server last heard from it — when it
 * synced, how many changes it held that the server did not have yet, whether it was wiped.
 * A device silent for longer than `SILENT_DAYS` is flagged. Asked of the server.
 */

import { useQuery } from "@tanstack/react-query";
import type { DeviceInfo } from "../../api/api";
import { queryKeys, useApi } from "../../api/context";
import { useI18n } from "../../i18n/I18n";
import { Card, Status } from "./parts";

/** Days without a sync after which a device is flagged (issue #10: default 3). */
export const SILENT_DAYS = 3;

/** Whole days from `lastSync` (RFC 3339) to `now`; `null` for a device that never synced. */
export function daysSilent(lastSync: string | null, now: Date): number | null {
  if (!lastSync) return null;
  const at = Date.parse(lastSync);
  return Number.isNaN(at) ? null : Math.max(0, Math.floor((now.getTime() - at) / 86_400_000));
}

/** Devices most at risk first: unsynced changes, then longest silent. */
export function byRisk(devices: DeviceInfo[], now: Date): DeviceInfo[] {
  const silent = (d: DeviceInfo) => daysSilent(d.last_sync, now) ?? Number.MAX_SAFE_INTEGER;
  return [...devices].sort((a, b) => b.pending - a.pending || silent(b) - silent(a) || a.user.localeCompare(b.user));
}

export function DevicesCard({ owner }: { owner: string | null }) {
  const { t, fmt } = useI18n();
  const api = useApi();
  const devices = useQuery({ queryKey: queryKeys.teamDevices, queryFn: () => api.teamDevices() });
  const now = new Date();
  const shown = byRisk(devices.data ?? [], now).filter((d) => owner === null || d.user === owner);
  return (
    <Card id="devices" title={t("dashboard.devices")} hint={t("dashboard.devicesHint")}>
      <Status pending={devices.isPending} error={devices.error} empty={!devices.isPending && shown.length === 0} />
      <ul className="list" data-testid="devices">
        {shown.map((d) => {
          const silent = daysSilent(d.last_sync, now);
          return (
            <li key={d.device_id} className="row" data-user={d.user}>
              <span className="row-title">
                {d.user} <span className="muted">{d.name}</span>
              </span>
              <span className="row-meta">
                {d.wiped ? (
                  <span className="chip">{t("dashboard.wiped")}</span>
                ) : (
                  <>
                    {d.pending > 0 && <span className="chip warn">{t("dashboard.pending", { count: d.pending })}</span>}
                    {silent !== null && silent >= SILENT_DAYS && (
                      <span className="chip warn">{t("dashboard.silent", { count: silent })}</span>
                    )}
                  </>
                )}
                <span className="muted">
                  {d.last_sync
                    ? t("dashboard.lastSync", { when: fmt.relative(d.last_sync) })
                    : t("dashboard.neverSynced")}
                </span>
              </span>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}

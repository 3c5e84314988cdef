/**
 * The sync state, always in view: working locally, signed out, changes waiting, or when the
 * last sync completed. Read from the store (never waits on the network); refreshed every few
 * seconds until Rust's sync events arrive.
 */

import { useQuery } from "@tanstack/react-query";
import { Cloud, CloudOff, RefreshCw } from "lucide-react";
import type { SyncState } from "../api/api";
import { queryKeys, useApi } from "../api/context";
import type { Formatters, I18n } from "../i18n/I18n";
import { useI18n } from "../i18n/I18n";

type Tone = "local" | "waiting" | "synced" | "problem";

/** What the badge says for a state: a tone (its colour and icon) and its phrases. */
export function describeSync(
  state: SyncState | undefined,
  i18n: { t: I18n["t"]; fmt: Pick<Formatters, "relative"> },
): [Tone, string[]] {
  const { t, fmt } = i18n;
  if (!state) return ["problem", [t("sync.unknown")]];
  if (state.server === null) {
    return state.pending > 0
      ? ["local", [t("sync.localOnly"), t("sync.pending", { count: state.pending })]]
      : ["local", [t("sync.localOnly")]];
  }
  if (state.user === null) return ["problem", [t("sync.signedOut")]];
  if (state.pending > 0) return ["waiting", [t("sync.pending", { count: state.pending })]];
  if (state.lastSync === null) return ["waiting", [t("sync.neverSynced")]];
  return ["synced", [t("sync.synced", { when: fmt.relative(state.lastSync) })]];
}

const ICONS = { local: CloudOff, waiting: RefreshCw, synced: Cloud, problem: CloudOff } as const;

export function SyncBadge() {
  const api = useApi();
  const i18n = useI18n();
  const sync = useQuery({ queryKey: queryKeys.syncStatus, queryFn: api.syncStatus, refetchInterval: 10_000 });
  const [tone, phrases] = describeSync(sync.isError ? undefined : sync.data, i18n);
  const Icon = ICONS[tone];
  return (
    <p className={`sync-badge sync-${tone}`} role="status" title={phrases.join(" · ")} data-testid="sync-badge">
      <Icon aria-hidden="true" size={16} />
      <span className="visually-hidden">{i18n.t("sync.label")}: </span>
      <span className="sync-text">
        {phrases.map((phrase, i) => (
          // Each phrase stays whole; a narrow window breaks the line between them.
          <span key={phrase}>
            {i > 0 && " · "}
            <span className="sync-phrase">{phrase}</span>
          </span>
        ))}
      </span>
    </p>
  );
}

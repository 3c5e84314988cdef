/**
 * The sync state, always in view: working locally, signed out, syncing, offline, changes
 * waiting, or when the last sync completed. Rust's events keep it current (it never waits
 * on the network). A click opens the details: the last problem in words with what to do,
 * and "Sync now".
 */

import { useMutation, useQuery } from "@tanstack/react-query";
import { Cloud, CloudOff, RefreshCw, TriangleAlert } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import type { ProblemKind, SyncProblem, SyncView } from "../api/api";
import { queryKeys, useApi } from "../api/context";
import type { Key } from "../i18n/en";
import type { Formatters, I18n } from "../i18n/I18n";
import { useI18n } from "../i18n/I18n";

type Tone = "local" | "waiting" | "syncing" | "synced" | "offline" | "problem";

/** What the badge says for a state: a tone (its colour and icon) and its phrases. */
export function describeSync(
  state: SyncView | undefined,
  i18n: { t: I18n["t"]; fmt: Pick<Formatters, "relative"> },
): [Tone, string[]] {
  const { t, fmt } = i18n;
  if (!state) return ["problem", [t("sync.unknown")]];
  const waiting = state.pending > 0 ? [t("sync.pending", { count: state.pending })] : [];
  switch (state.phase) {
    case "local":
      return ["local", [t("sync.localOnly"), ...waiting]];
    case "signedOut":
      return ["problem", [t("sync.signedOut"), ...waiting]];
    case "syncing":
      return ["syncing", [t("sync.syncing")]];
    case "offline":
      return ["offline", [t("sync.offline"), ...waiting]];
    default:
      break;
  }
  if (state.problem) return ["problem", [t("sync.failed"), ...waiting]];
  if (state.pending > 0) return ["waiting", waiting];
  if (state.lastSync === null) return ["waiting", [t("sync.neverSynced")]];
  return ["synced", [t("sync.synced", { when: fmt.relative(state.lastSync) })]];
}

const PROBLEMS: Readonly<Record<ProblemKind, Key>> = {
  unreachable: "problem.unreachable",
  wrongPassword: "problem.wrongPassword",
  sessionEnded: "problem.sessionEnded",
  accessRefused: "problem.accessRefused",
  deactivated: "problem.deactivated",
  badAddress: "problem.badAddress",
  badCertificate: "problem.badCertificate",
  failed: "problem.failed",
};

/** A problem in words, with what to do; the library's own words as the detail. */
export function ProblemText({ problem }: { problem: SyncProblem }) {
  const { t } = useI18n();
  const words =
    problem.kind === "accessRefused" && problem.refused > 0
      ? t("problem.changesRefused", { count: problem.refused })
      : t(PROBLEMS[problem.kind]);
  return (
    <>
      <span className="problem-words">{words}</span>
      {problem.detail && <span className="problem-detail">{problem.detail}</span>}
    </>
  );
}

const ICONS = {
  local: CloudOff,
  waiting: RefreshCw,
  syncing: RefreshCw,
  synced: Cloud,
  offline: CloudOff,
  problem: TriangleAlert,
} as const;

export function SyncBadge() {
  const api = useApi();
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const panelId = useId();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  // Events keep it current; the interval refreshes "synced 5 minutes ago" and sees changes
  // another program (the `fieldbook` command) made to the same store.
  const sync = useQuery({ queryKey: queryKeys.syncState, queryFn: () => api.syncState(), refetchInterval: 10_000 });
  const now = useMutation({ mutationFn: () => api.syncNow() });
  const state = sync.isError ? undefined : sync.data;
  const [tone, phrases] = describeSync(state, i18n);
  const Icon = ICONS[tone];

  // Following the link to Settings (or any other way of changing screens) closes it.
  useEffect(() => {
    const close = () => setOpen(false);
    window.addEventListener("hashchange", close);
    return () => window.removeEventListener("hashchange", close);
  }, []);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener("mousedown", close);
    return () => window.removeEventListener("mousedown", close);
  }, [open]);

  return (
    <div className="sync" ref={box}>
      <button
        type="button"
        className={`sync-badge sync-${tone}`}
        title={phrases.join(" · ")}
        data-testid="sync-badge"
        data-phase={state?.phase ?? "unknown"}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(!open)}
      >
        <Icon aria-hidden="true" size={16} className={tone === "syncing" ? "spin" : undefined} />
        <span className="visually-hidden">{t("sync.label")}: </span>
        <span className="sync-text" role="status">
          {phrases.map((phrase, i) => (
            // Each phrase stays whole; a narrow window breaks the line between them.
            <span key={phrase}>
              {i > 0 && <span className="sync-sep"> · </span>}
              <span className="sync-phrase">{phrase}</span>
            </span>
          ))}
        </span>
      </button>
      {open && (
        <section className="sync-panel" id={panelId} aria-label={t("sync.label")}>
          {state?.server && <p className="sync-server">{state.server}</p>}
          <p>{state?.lastSync ? t("sync.lastSync", { when: fmt.dateTime(state.lastSync) }) : t("sync.neverSynced")}</p>
          <p>{t("sync.pendingDetail", { count: state?.pending ?? 0 })}</p>
          {state?.problem && (
            <p className="sync-problem-text" data-testid="sync-problem" data-problem={state.problem.kind}>
              <ProblemText problem={state.problem} />
            </p>
          )}
          {state?.phase === "local" || state?.phase === "signedOut" ? (
            <a href="#/settings">{t("sync.signInLink")}</a>
          ) : (
            <button type="button" className="primary small" onClick={() => now.mutate()} data-testid="sync-now">
              {t("sync.now")}
            </button>
          )}
        </section>
      )}
    </div>
  );
}

/**
 * Hands the chosen `Api` transport to the views (`useApi()`), and the query cache they read
 * through (TanStack Query). Rust's events keep the cache true (`useLiveUpdates`): records
 * written here or pulled by a sync refresh the queries on screen, without a reload; the
 * sync state arrives as it changes.
 */

import { QueryClient, QueryClientProvider, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import type { Api, Kind, ListQuery } from "./api";

const ApiContext = createContext<Api | null>(null);

export function ApiProvider({ api, children }: { api: Api; children: ReactNode }) {
  const [queries] = useState(
    () =>
      new QueryClient({
        // Local data: a failed read is a real failure, not a flaky network worth retrying.
        // Reads stay fresh until Rust says a record changed.
        defaultOptions: { queries: { retry: false, staleTime: Number.POSITIVE_INFINITY } },
      }),
  );
  return (
    <ApiContext.Provider value={api}>
      <QueryClientProvider client={queries}>{children}</QueryClientProvider>
    </ApiContext.Provider>
  );
}

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error("useApi() outside <ApiProvider>");
  return api;
}

/** Query keys, one per read, so invalidation names what it refreshes. */
export const queryKeys = {
  appInfo: ["appInfo"],
  schema: ["schema"],
  syncState: ["syncState"],
  record: (id: string) => ["record", id] as const,
  history: (id: string) => ["history", id] as const,
  list: (kind: Kind, query: Partial<ListQuery>) => ["list", kind, query] as const,
  count: (kind: Kind, query: Partial<ListQuery>) => ["count", kind, query] as const,
  search: (text: string) => ["search", text] as const,
  agenda: (today: string) => ["agenda", today] as const,
  pipeline: ["pipeline"],
  reminders: (today: string) => ["reminders", today] as const,
  accountMatches: (lead: string) => ["accountMatches", lead] as const,
  preferences: ["preferences"],
  report: (request: unknown) => ["report", request] as const,
  reportSettings: ["reportSettings"],
  teamStatus: ["teamStatus"],
  accountOwners: ["accountOwners"],
  handoverAccounts: (owner: string, search: string) => ["handoverAccounts", owner, search] as const,
} as const;

/** Reads that no record change affects. */
const UNCHANGING = new Set(["appInfo", "schema", "syncState"]);

/** Changes arriving closer together than this (a long pull) refresh the screen once. */
const SETTLE_MS = 300;

/** Keeps the cache in step with Rust's events for as long as the app is open. */
export function useLiveUpdates(): void {
  const api = useApi();
  const queries = useQueryClient();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      timer = undefined;
      void queries.invalidateQueries({ predicate: (q) => !UNCHANGING.has(String(q.queryKey[0])) });
    };
    const stops = [
      api.onRecordsChanged(() => {
        timer ??= setTimeout(refresh, SETTLE_MS);
      }),
      api.onSyncChanged((state) => queries.setQueryData(queryKeys.syncState, state)),
    ];
    return () => {
      if (timer) clearTimeout(timer);
      for (const stop of stops) void stop.then((unlisten) => unlisten());
    };
  }, [api, queries]);
}

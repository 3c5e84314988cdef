/**
 * Hands the chosen `Api` transport to the views (`useApi()`), and the query cache they read
 * through (TanStack Query: cached reads, refetch on focus; Rust's change events will
 * invalidate its keys).
 */

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useState } from "react";
import type { Api } from "./api";

const ApiContext = createContext<Api | null>(null);

export function ApiProvider({ api, children }: { api: Api; children: ReactNode }) {
  const [queries] = useState(
    () =>
      new QueryClient({
        // Local data: a failed read is a real failure, not a flaky network worth retrying.
        defaultOptions: { queries: { retry: false, staleTime: 5_000 } },
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
  syncStatus: ["syncStatus"],
} as const;

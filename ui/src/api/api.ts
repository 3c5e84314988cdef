/**
 * The one interface views call to reach data: `Api`. Views never import `bindings.ts` or
 * `@tauri-apps/api` themselves, so the same screens run over either transport (DESIGN.md,
 * "one front-end, two transports"): Tauri IPC in the app (`tauri.ts`), HTTP to the server
 * for the managers' web page (later).
 *
 * Every type here comes from Rust through the generated bindings; nothing is retyped.
 * A method resolves with its value or rejects with an `ApiError`.
 */

import type { AppError, AppInfo, ErrorKind, StoreInfo, SyncState } from "../bindings";

export type { AppInfo, ErrorKind, StoreInfo, SyncState };

export interface Api {
  /** Where the store is, and the store's settings (`store` is null before the first run). */
  appInfo(): Promise<AppInfo>;
  /** First run: creates the store for `user` with a default currency (ISO 4217). */
  initStore(user: string, currency: string): Promise<StoreInfo>;
  /** Server, user, last sync and changes waiting; read locally, never waits on a network. */
  syncStatus(): Promise<SyncState>;
}

/** A failed call: `kind` to branch on, `message` (which says what to do) to show. */
export class ApiError extends Error {
  readonly kind: ErrorKind;

  constructor(error: AppError) {
    super(error.message);
    this.name = "ApiError";
    this.kind = error.kind;
  }
}

/** The error's message for a person, whatever was thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

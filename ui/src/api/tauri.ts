/**
 * `Api` over Tauri IPC, through the generated bindings. The only module that imports
 * `bindings.ts`.
 */

import { type AppError, commands, type Result } from "../bindings";
import { type Api, ApiError } from "./api";

function unwrap<T>(result: Result<T, AppError>): T {
  if (result.status === "ok") return result.data;
  throw new ApiError(result.error);
}

export const tauriApi = {
  appInfo: async () => unwrap(await commands.appInfo()),
  initStore: async (user, currency) => unwrap(await commands.initStore(user, currency)),
  syncStatus: async () => unwrap(await commands.syncStatus()),
} satisfies Api;

/** Whether this page runs inside the Tauri app (not a plain browser tab). */
export function insideTauri(): boolean {
  return "__TAURI_INTERNALS__" in window;
}

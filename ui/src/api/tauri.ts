/**
 * `Api` over Tauri IPC, through the generated bindings. The only module that imports
 * `bindings.ts`.
 */

import { type AppError, commands, events, type Result } from "../bindings";
import { type Api, ApiError, listQuery } from "./api";

function unwrap<T>(result: Result<T, AppError>): T {
  if (result.status === "ok") return result.data;
  throw new ApiError(result.error);
}

export const tauriApi = {
  opensRecords: true,
  local: true,
  appInfo: async () => unwrap(await commands.appInfo()),
  initStore: async (user, currency, passphrase) => unwrap(await commands.initStore(user, currency, passphrase)),
  schema: () => commands.schema(),
  setDefaultCurrency: async (currency) => unwrap(await commands.setDefaultCurrency(currency)),
  notify: (title, body) => commands.notify(title, body),

  unlockStore: async (passphrase) => {
    unwrap(await commands.unlockStore(passphrase));
  },
  protectStore: async (passphrase) => unwrap(await commands.protectStore(passphrase)),
  changePassphrase: async (current, next) => unwrap(await commands.changePassphrase(current, next)),

  getRecord: async (id) => unwrap(await commands.getRecord(id)),
  listRecords: async (kind, query) => unwrap(await commands.listRecords(kind, query)),
  countRecords: async (kind, query) => unwrap(await commands.countRecords(kind, query)),
  createRecord: async (kind, values) => unwrap(await commands.createRecord(kind, values)),
  updateRecord: async (id, values) => unwrap(await commands.updateRecord(id, values)),
  setDeleted: async (id, deleted) => unwrap(await commands.setDeleted(id, deleted)),
  editNotes: async (id, heads, base, text) => unwrap(await commands.editNotes(id, heads, base, text)),
  resolveConflict: async (id, field, value) => unwrap(await commands.resolveConflict(id, field, value)),
  recordHistory: async (id) => unwrap(await commands.recordHistory(id)),
  search: async (text, limit) => unwrap(await commands.searchRecords(text, limit)),
  agenda: async (today) => unwrap(await commands.agenda(today)),

  pipelineBoard: async () => unwrap(await commands.pipelineBoard()),
  addQuoteLine: async (quote, values) => unwrap(await commands.addQuoteLine(quote, values)),
  setQuoteLine: async (quote, lineId, values) => unwrap(await commands.setQuoteLine(quote, lineId, values)),
  removeQuoteLine: async (quote, lineId) => unwrap(await commands.removeQuoteLine(quote, lineId)),

  accountMatches: async (lead) => unwrap(await commands.accountMatches(lead)),
  convertLead: async (lead, conversion) => unwrap(await commands.convertLead(lead, conversion)),
  reminders: async (today) => unwrap(await commands.reminders(today)),
  dismissReminder: async (key, until, today) => unwrap(await commands.dismissReminder(key, until, today)),
  renewReminder: async (key, today) => unwrap(await commands.renewReminder(key, today)),
  preferences: async () => unwrap(await commands.preferences()),
  setPreference: async (name, days) => unwrap(await commands.setPreference(name, days)),
  report: async (request) => unwrap(await commands.report(request)),
  reportSettings: async () => unwrap(await commands.reportSettings()),
  accountOwners: async () => unwrap(await commands.accountOwners()),
  handoverAccounts: async (owner, search) => {
    const query = listQuery({
      filters: [{ field: "owner", value: owner }],
      search: search.trim() || null,
      limit: 50,
      order: { by: "field", field: "name", descending: false },
    });
    const page = unwrap(await commands.listRecords("account", query));
    return page.records.map((r) => ({ id: r.id, title: r.title }));
  },
  handoverPreview: async (handover) => unwrap(await commands.handoverPreview(handover)),
  teamStatus: async () => unwrap(await commands.teamStatus()),
  reassign: async (handover) => unwrap(await commands.reassign(handover)),
  pickImportFile: async () => unwrap(await commands.pickImportFile()),
  importPreview: async (source, kind, columns) => unwrap(await commands.importPreview(source, kind, columns)),
  importCheck: async (source, kind, columns) => unwrap(await commands.importCheck(source, kind, columns)),
  importRun: async (source, kind, columns, onError) => unwrap(await commands.importRun(source, kind, columns, onError)),
  saveRejectedRows: async () => unwrap(await commands.saveRejectedRows()),
  findDuplicates: async (kind) => unwrap(await commands.findDuplicates(kind)),
  mergeRecords: async (keep, other, choices) => unwrap(await commands.mergeRecords(keep, other, choices)),

  syncState: async () => unwrap(await commands.syncState()),
  syncNow: async () => {
    unwrap(await commands.syncNow());
  },
  login: async (url, user, password) => unwrap(await commands.login(url, user, password)),
  logout: async () => unwrap(await commands.logout()),

  onRecordsChanged: (listener) => events.recordsChanged.listen((e) => listener(e.payload)),
  onSyncChanged: (listener) => events.syncChanged.listen((e) => listener(e.payload.state)),
  onImportProgress: (listener) => events.importProgress.listen((e) => listener(e.payload)),
} satisfies Api;

/** Whether this page runs inside the Tauri app (not a plain browser tab). */
export function insideTauri(): boolean {
  return "__TAURI_INTERNALS__" in window;
}

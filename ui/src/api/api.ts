/**
 * The one interface views call to reach data: `Api`. Views never import `bindings.ts` or
 * `@tauri-apps/api` themselves, so the same screens run over either transport (DESIGN.md,
 * "one front-end, two transports"): Tauri IPC in the app (`tauri.ts`), HTTP to the server
 * for the managers' web page (later).
 *
 * Every type here comes from Rust through the generated bindings; nothing is retyped.
 * A method resolves with its value or rejects with an `ApiError`.
 */

import type {
  AccountChoice,
  AccountMatch,
  ActivityWeek,
  Agenda,
  AppError,
  AppInfo,
  AtRestInfo,
  ChangeOrigin,
  ColumnChoice,
  ColumnMapping,
  Conflict,
  ConflictValue,
  Conversion,
  Converted,
  Currencies,
  DeviceInfo,
  DeviceStatus,
  DueReminder,
  DuplicatePair,
  DuplicateReason,
  ErrorKind,
  FieldChoice,
  FieldInfo,
  FieldKind,
  FieldValue,
  ForecastPeriod,
  ForecastReport,
  Handover,
  HistoryEntry,
  ImportPreviewView,
  ImportProgress,
  ImportSource,
  ImportSummary,
  Kind,
  KindInfo,
  LikelyDuplicate,
  ListCursor,
  ListOrder,
  ListPage,
  ListQuery,
  LoginOutcome,
  MemberStatus,
  MergeReport,
  MovePreview,
  NotesSaved,
  OnError,
  PipelineReport,
  PipelineRow,
  ProblemKind,
  QuoteLine,
  QuoteTotals,
  Reason,
  Reassigned,
  RecordsChanged,
  RecordView,
  RejectedRow,
  Renewed,
  Report,
  ReportFilter,
  ReportKind,
  ReportRequest,
  ReportSettings,
  RfmAccount,
  RfmReport,
  RfmRules,
  RiskWarning,
  SchemaInfo,
  SearchHit,
  Settings,
  StageSummary,
  StaleAccount,
  StaleDeal,
  StaleReport,
  StaleRules,
  StoreInfo,
  SyncPhase,
  SyncProblem,
  SyncView,
  TeamStatus,
  WinRate,
  WinRateReport,
} from "../bindings";

export type {
  AccountChoice,
  AccountMatch,
  ActivityWeek,
  Agenda,
  AppInfo,
  AtRestInfo,
  ChangeOrigin,
  ColumnChoice,
  ColumnMapping,
  Conflict,
  ConflictValue,
  Conversion,
  Converted,
  Currencies,
  DeviceInfo,
  DeviceStatus,
  DueReminder,
  DuplicatePair,
  DuplicateReason,
  ErrorKind,
  FieldChoice,
  FieldInfo,
  FieldKind,
  FieldValue,
  ForecastPeriod,
  ForecastReport,
  Handover,
  HistoryEntry,
  ImportPreviewView,
  ImportProgress,
  ImportSource,
  ImportSummary,
  Kind,
  KindInfo,
  LikelyDuplicate,
  ListCursor,
  ListOrder,
  ListPage,
  ListQuery,
  LoginOutcome,
  MemberStatus,
  MergeReport,
  MovePreview,
  NotesSaved,
  OnError,
  PipelineReport,
  PipelineRow,
  ProblemKind,
  QuoteLine,
  QuoteTotals,
  Reason,
  Reassigned,
  RecordsChanged,
  RecordView,
  RejectedRow,
  Renewed,
  Report,
  ReportFilter,
  ReportKind,
  ReportRequest,
  ReportSettings,
  RfmAccount,
  RfmReport,
  RfmRules,
  RiskWarning,
  SchemaInfo,
  SearchHit,
  Settings,
  StageSummary,
  StaleAccount,
  StaleDeal,
  StaleReport,
  StaleRules,
  StoreInfo,
  SyncPhase,
  SyncProblem,
  SyncView,
  TeamStatus,
  WinRate,
  WinRateReport,
};

/** Field values to write, by field name: a value sets the field, `null` clears it. */
export type FieldValues = Partial<Record<string, FieldValue | null>>;

/** An account to choose for a hand-over. */
export interface HandoverAccount {
  id: string;
  title: string;
}

/** Stops listening to an event. */
export type Unlisten = () => void;

export interface Api {
  /** Whether records open on their own pages (the app); the web page shows reports only. */
  readonly opensRecords: boolean;
  /** Whether reads answer from this device's own copy (the app) or from the server (the web page). */
  readonly local: boolean;

  // --- The store and its settings ---
  /** Where the store is, and the store's settings (`store` is null before the first run). */
  appInfo(): Promise<AppInfo>;
  /**
   * First run: creates the store for `user` with a default currency (ISO 4217), encrypted
   * with a key from `passphrase`, or plain when it is null.
   */
  initStore(user: string, currency: string, passphrase: string | null): Promise<StoreInfo>;
  /** The field contract: kinds, fields, stages, activity kinds, quote statuses. */
  schema(): Promise<SchemaInfo>;
  setDefaultCurrency(currency: string): Promise<StoreInfo>;
  /** A desktop notification; resolves `false` when the desktop has no notification service. */
  notify(title: string, body: string): Promise<boolean>;

  // --- Encryption at rest ---
  /**
   * Unlocks the encrypted store (rejects with kind `wrongPassphrase` when it does not open
   * it); `remember` keeps its key in the OS keyring too.
   */
  unlockStore(passphrase: string, remember: boolean): Promise<void>;
  /** Keeps the store's key in the OS keyring, or deletes it from there. */
  rememberKey(remember: boolean): Promise<AtRestInfo>;
  /** Encrypts a plain store (a whole new file: a large store takes a while). */
  protectStore(passphrase: string): Promise<AtRestInfo>;
  /** A new passphrase, once `current` is checked. */
  changePassphrase(current: string, next: string): Promise<AtRestInfo>;

  // --- Records ---
  getRecord(id: string): Promise<RecordView>;
  /** One page of a list; `next` continues it. */
  listRecords(kind: Kind, query: ListQuery): Promise<ListPage>;
  countRecords(kind: Kind, query: ListQuery): Promise<number>;
  createRecord(kind: Kind, values: FieldValues): Promise<RecordView>;
  updateRecord(id: string, values: FieldValues): Promise<RecordView>;
  setDeleted(id: string, deleted: boolean): Promise<RecordView>;
  /** Saves notes typed from `base` (the notes as read at `heads`): only the typed characters change. */
  editNotes(id: string, heads: string[], base: string, text: string): Promise<NotesSaved>;
  resolveConflict(id: string, field: string, value: FieldValue | null): Promise<RecordView>;
  recordHistory(id: string): Promise<HistoryEntry[]>;
  search(text: string, limit: number): Promise<SearchHit[]>;
  /** The day of `today` (YYYY-MM-DD, the user's calendar day). */
  agenda(today: string): Promise<Agenda>;

  // --- Pipeline and quotes ---
  /** Every stage of the board (closed ones too): count, amount and weighted amount per currency. */
  pipelineBoard(): Promise<StageSummary[]>;
  addQuoteLine(quote: string, values: FieldValues): Promise<RecordView>;
  setQuoteLine(quote: string, lineId: string, values: FieldValues): Promise<RecordView>;
  removeQuoteLine(quote: string, lineId: string): Promise<RecordView>;

  // --- Following up: leads, reminders ---
  /** Existing accounts that may be this lead's company (by normalized name), best first. */
  accountMatches(lead: string): Promise<AccountMatch[]>;
  /** Converts a lead into an account (new or chosen), a contact and perhaps a deal, at once. */
  convertLead(lead: string, conversion: Conversion): Promise<Converted>;
  /** The reminders due on `today` (YYYY-MM-DD) for this user, soonest first. */
  reminders(today: string): Promise<DueReminder[]>;
  /** Hides a reminder for good (`until` null) or until a day (snoozed). */
  dismissReminder(key: string, until: string | null, today: string): Promise<string>;
  /** Turns a renewal reminder into the renewal deal, prefilled and linked to the deal it renews. */
  renewReminder(key: string, today: string): Promise<Renewed>;
  /** This device's follow-up preferences (reminder lead times, case due days per priority). */
  preferences(): Promise<Settings>;
  /** Sets one preference by name (`reminders.renewal_days`, `case_due.high`, ...) to a number of days. */
  setPreference(name: string, days: number): Promise<Settings>;
  // --- Managers: reports and hand-over ---
  /** One report over the records this user may see (the app: this device's copy, offline). */
  report(request: ReportRequest): Promise<Report>;
  /** Default rules of the stale and RFM reports, the store's currency, its exchange rates. */
  reportSettings(): Promise<ReportSettings>;
  /** The owners of the accounts this user may see, by name. */
  accountOwners(): Promise<string[]>;
  /** A rep's accounts to choose from for a hand-over, narrowed by a search (at most 50). */
  handoverAccounts(owner: string, search: string): Promise<HandoverAccount[]>;
  /** What a hand-over would move, counted by the server (nothing written; asks the server). */
  handoverPreview(handover: Handover): Promise<MovePreview>;
  /** The users this user manages and their devices, as the server last heard from them (asks the server). */
  teamStatus(): Promise<TeamStatus>;
  /** Moves the accounts (the server does; every device learns it at its next sync). */
  reassign(handover: Handover): Promise<Reassigned>;
  // --- Import and duplicates ---
  /** The OS's file dialog; null when closed. */
  pickImportFile(): Promise<string | null>;
  /** The file's columns mapped (guessed, or as `columns` choose) and its first rows. */
  importPreview(source: ImportSource, kind: Kind, columns: ColumnChoice[]): Promise<ImportPreviewView>;
  /** Every row checked, nothing written: what would be refused, likely duplicates. */
  importCheck(source: ImportSource, kind: Kind, columns: ColumnChoice[]): Promise<ImportSummary>;
  /** The import itself; `onImportProgress` tells how far its writes are. */
  importRun(source: ImportSource, kind: Kind, columns: ColumnChoice[], onError: OnError): Promise<ImportSummary>;
  /** Saves the last import's refused rows where the user chooses; the path, or null when closed. */
  saveRejectedRows(): Promise<string | null>;
  /** Likely duplicate pairs of a kind (accounts, contacts), best first. */
  findDuplicates(kind: Kind): Promise<DuplicatePair[]>;
  /** Merges `other` into `keep`, with the fields chosen one by one. */
  mergeRecords(keep: string, other: string, choices: FieldChoice[]): Promise<MergeReport>;

  // --- Sync ---
  /** Phase, server, user, last sync, changes waiting, last problem; never waits on a network. */
  syncState(): Promise<SyncView>;
  /** Asks for a sync now; it runs in the background. */
  syncNow(): Promise<void>;
  login(url: string, user: string, password: string): Promise<LoginOutcome>;
  logout(): Promise<SyncView>;

  // --- Events from Rust ---
  onRecordsChanged(listener: (change: RecordsChanged) => void): Promise<Unlisten>;
  onSyncChanged(listener: (state: SyncView) => void): Promise<Unlisten>;
  onImportProgress(listener: (progress: ImportProgress) => void): Promise<Unlisten>;
}

/** A list query with every part not given left out. */
export function listQuery(q: Partial<ListQuery> = {}): ListQuery {
  return {
    filters: [],
    search: null,
    limit: null,
    include_deleted: false,
    account: null,
    order: { by: "recent" },
    after: null,
    ...q,
  };
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

/**
 * `Api` over HTTP to the sync server: the managers' web page, served by the server itself
 * (same origin). Reports are the server's, computed from its own data over what the signed-in
 * user may see; the token lives in this page's memory only (a reload signs out), so no
 * script elsewhere and no other tab can read it from storage.
 *
 * The web page offers the team's reports, the team's devices and the hand-over (its
 * accounts listed from `GET /v1/records`); the app's other reads and writes are not offered
 * here and reject with an `ApiError` saying so. Request and answer bodies are the server's protocol types, generated from
 * Rust into `bindings.ts`.
 */

import type {
  AppError,
  DeactivateRequest,
  DeactivateResponse,
  ErrorBody,
  LoginRequest,
  LoginResponse,
  Me,
  MovePreview,
  ReassignRequest,
  ReassignResponse,
  RecordsPage,
  Report,
  ReportRequest,
  ReportSettings,
  SyncView,
  TeamStatus,
  UserInfo,
} from "../bindings";
import { type Api, ApiError, type HandoverAccount } from "./api";

/** The protocol version every `/v1` request names (`fieldbook-protocol`). */
const PROTOCOL = "1";

/** Accounts offered for a hand-over at most, and pages of 500 read to find them. */
const CHOICES = 50;
const MAX_PAGES = 40;

/** The query string of a report request, as `GET /v1/reports/{name}` reads it. */
export function reportPath(req: ReportRequest, fallbackCurrency: string | null): string {
  const q = new URLSearchParams();
  const k = req.kind;
  switch (k.report) {
    case "pipeline":
    case "forecast":
    case "funnel":
      q.set("by", k.by);
      break;
    case "stale":
      q.set("days", String(k.rules.deal_days));
      q.set("account_days", String(k.rules.account_days));
      break;
    case "rfm":
      q.set("window_days", String(k.rules.window_days));
      break;
    default:
      break;
  }
  const f = req.filter;
  if (f.owners) q.set("owner", f.owners.join(","));
  if (f.from) q.set("from", f.from);
  if (f.to) q.set("to", f.to);
  if (req.today) q.set("today", req.today);
  // RFM's monetary value is in one currency: the one asked for, else the page's default.
  const currency = req.currency ?? (k.report === "rfm" ? fallbackCurrency : null);
  if (currency) q.set("currency", currency);
  const query = q.toString();
  return `/v1/reports/${k.report}${query ? `?${query}` : ""}`;
}

function failure(kind: AppError["kind"], message: string): ApiError {
  return new ApiError({ kind, message });
}

const notHere = (what: string) => () =>
  Promise.reject(failure("failed", `${what} is in the Fieldbook app; the web page shows the team's reports`));

/** The `ApiError` for a refused request: the server's own words. */
async function refused(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as ErrorBody;
    message = body.message || body.error || message;
  } catch {
    // Not the server's JSON error body: keep the status line.
  }
  const kind: AppError["kind"] =
    res.status === 401 || res.status === 410 ? "notLoggedIn" : res.status === 403 ? "unauthorized" : "failed";
  return failure(kind, message);
}

export function httpApi(base = ""): Api & { signedIn(): boolean } {
  let token: string | null = null;
  let me: LoginResponse | null = null;
  let defaultCurrency: string | null = null;

  async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { "fieldbook-protocol": PROTOCOL };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        credentials: "same-origin",
      });
    } catch (e) {
      throw failure("offline", `the server did not answer (${e instanceof Error ? e.message : String(e)})`);
    }
    if (!res.ok) throw await refused(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  const view = (): SyncView => ({
    phase: me ? "idle" : "signedOut",
    server: base || window.location.origin,
    user: me?.user ?? null,
    role: me?.role ?? null,
    lastSync: null,
    pending: 0,
    problem: null,
  });

  const report = (request: ReportRequest) => call<Report>("GET", reportPath(request, defaultCurrency));

  return {
    opensRecords: false,
    local: false,
    signedIn: () => token !== null,

    appInfo: notHere("The store"),
    initStore: notHere("A store"),
    schema: notHere("The field contract"),
    setDefaultCurrency: notHere("The default currency"),
    notify: () => Promise.resolve(false),

    getRecord: notHere("A record's page"),
    listRecords: notHere("A list of records"),
    countRecords: notHere("Counting records"),
    createRecord: notHere("Creating records"),
    updateRecord: notHere("Editing records"),
    setDeleted: notHere("Deleting records"),
    editNotes: notHere("Editing notes"),
    resolveConflict: notHere("Settling a conflict"),
    recordHistory: notHere("A record's history"),
    search: notHere("Search"),
    agenda: notHere("The day's agenda"),
    pipelineBoard: notHere("The pipeline board"),
    addQuoteLine: notHere("Editing quotes"),
    setQuoteLine: notHere("Editing quotes"),
    removeQuoteLine: notHere("Editing quotes"),

    // The device's own: its encryption, follow-ups, imports and duplicates. The web page
    // reads the server's data and keeps none.
    unlockStore: notHere("Unlocking a store"),
    rememberKey: notHere("A store's key"),
    protectStore: notHere("Encrypting a store"),
    changePassphrase: notHere("A store's passphrase"),
    accountMatches: notHere("Converting a lead"),
    convertLead: notHere("Converting a lead"),
    reminders: notHere("Reminders"),
    dismissReminder: notHere("Reminders"),
    renewReminder: notHere("Reminders"),
    preferences: notHere("This device's preferences"),
    setPreference: notHere("This device's preferences"),
    pickImportFile: notHere("Importing a file"),
    importPreview: notHere("Importing a file"),
    importCheck: notHere("Importing a file"),
    importRun: notHere("Importing a file"),
    saveRejectedRows: notHere("Importing a file"),
    findDuplicates: notHere("Duplicates"),
    mergeRecords: notHere("Merging records"),

    report,
    reportSettings: async (): Promise<ReportSettings> => {
      // The server's defaults, as its own answers state them; the page's currency is the
      // first the open pipeline is in.
      const [stale, rfm, pipeline] = await Promise.all([
        call<Report>("GET", "/v1/reports/stale"),
        call<Report>("GET", "/v1/reports/rfm"),
        call<Report>("GET", "/v1/reports/pipeline"),
      ]);
      if (stale.report !== "stale" || rfm.report !== "rfm" || pipeline.report !== "pipeline") {
        throw failure("failed", "the server answered another report than asked");
      }
      defaultCurrency = Object.keys(pipeline.total.amount).sort()[0] ?? rfm.currency;
      return { stale: stale.rules, rfm: rfm.rules, default_currency: defaultCurrency, rates: null };
    },
    accountOwners: async () => {
      try {
        const users = await call<UserInfo[]>("GET", "/v1/admin/users");
        return users.filter((u) => u.active).map((u) => u.name);
      } catch (e) {
        // A rep may not list users: their own book is all they see.
        if (e instanceof ApiError && e.kind === "unauthorized" && me) return [me.user];
        throw e;
      }
    },
    handoverAccounts: async (owner: string, search: string): Promise<HandoverAccount[]> => {
      // The server lists accounts in id order, a page at a time: keep the rep's, matching
      // the search, until enough are found or every page was read.
      const needle = search.trim().toLowerCase();
      const found: HandoverAccount[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < MAX_PAGES && found.length < CHOICES; pages++) {
        const path: string = `/v1/records?kind=account&limit=500${after ? `&after=${after}` : ""}`;
        const page: RecordsPage = await call<RecordsPage>("GET", path);
        for (const r of page.records) {
          const id = r.id;
          const name = r.name;
          if (typeof id !== "string" || typeof name !== "string" || r.owner !== owner) continue;
          if (!needle || name.toLowerCase().includes(needle)) found.push({ id, title: name });
        }
        if (!page.next) break;
        after = page.next;
      }
      return found.slice(0, CHOICES).sort((a, b) => a.title.localeCompare(b.title));
    },
    handoverPreview: (h) => {
      if (h.leaves && h.from) {
        const body: DeactivateRequest = { user: h.from, successor: h.to };
        return call<MovePreview>("POST", "/v1/admin/deactivate/preview", body);
      }
      const body: ReassignRequest = { from: h.from, to: h.to, accounts: h.accounts };
      return call<MovePreview>("POST", "/v1/admin/reassign/preview", body);
    },
    teamStatus: () => call<TeamStatus>("GET", "/v1/team"),
    reassign: async (h) => {
      if (h.leaves && h.from) {
        const body: DeactivateRequest = { user: h.from, successor: h.to };
        const done = await call<DeactivateResponse>("POST", "/v1/admin/deactivate", body);
        return { accounts: done.accounts, records: done.records };
      }
      const body: ReassignRequest = { from: h.from, to: h.to, accounts: h.accounts };
      const moved = await call<ReassignResponse>("POST", "/v1/admin/reassign", body);
      return { accounts: moved.accounts, records: moved.records };
    },

    syncState: async () => view(),
    syncNow: async () => {},
    login: async (_url, user, password) => {
      const body: LoginRequest = { user, password, device_name: `web page (${navigator.userAgent.split(" ")[0]})` };
      const answer = await call<LoginResponse>("POST", "/v1/login", body);
      token = answer.token;
      me = answer;
      const who = await call<Me>("GET", "/v1/me");
      me = { ...answer, user: who.user, role: who.role };
      return { state: view(), problem: null };
    },
    logout: async () => {
      if (token) await call<unknown>("POST", "/v1/logout").catch(() => undefined);
      token = null;
      me = null;
      return view();
    },

    onRecordsChanged: async () => () => {},
    onSyncChanged: async () => () => {},
    onImportProgress: async () => () => {},
  };
}

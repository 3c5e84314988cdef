/**
 * English: the source catalogue. Its keys are the keys: zh-CN must have exactly these
 * (`Catalogue` makes tsc check that), and i18n.test.ts checks that every key is used.
 */

import type { Message } from "./catalogue";

export const en = {
  "app.name": "Fieldbook",
  "app.skipToContent": "Skip to content",
  "app.loading": "Opening your book of business…",
  "app.failed": "Fieldbook could not open its store",

  "nav.label": "Main",
  "nav.today": "Today",
  "nav.accounts": "Accounts",
  "nav.pipeline": "Pipeline",
  "nav.quotes": "Quotes",
  "nav.tasks": "Tasks",
  "nav.search": "Search",
  "nav.settings": "Settings",

  "search.label": "Search everything",
  "search.placeholder": "Search accounts, people, deals…",
  "search.shortcut": "Ctrl K",

  "language.label": "Language",

  "sync.label": "Sync state",
  "sync.localOnly": "On this device only",
  "sync.signedOut": "Signed out",
  "sync.synced": "Synced {when}",
  "sync.neverSynced": "Not synced yet",
  "sync.pending": { one: "{count} change waiting", other: "{count} changes waiting" },
  "sync.unknown": "Sync state unavailable",

  "firstRun.title": "Welcome to Fieldbook",
  "firstRun.intro":
    "Your accounts, deals and quotes live on this device and work with no network. Connect to your company's server whenever you like.",
  "firstRun.name": "Your name",
  "firstRun.currency": "Default currency",
  "firstRun.currencyHint": "Three letters, such as EUR, USD or CNY",
  "firstRun.start": "Start working offline",
  "firstRun.starting": "Creating your store…",

  "today.greeting": "Hello, {user}",
  "today.summary": "Your book of business is on this device and works with no network.",

  "screen.comingNext": "This screen is being built. Everything you enter elsewhere is kept.",

  "settings.store": "This device",
  "settings.user": "User",
  "settings.currency": "Default currency",
  "settings.device": "Device code",
  "settings.dataDir": "Store folder",
  "settings.version": "Version",
  "settings.server": "Server",
  "settings.noServer": "None (working offline)",
} as const satisfies Record<string, Message>;

/** A message key. */
export type Key = keyof typeof en;

/** A catalogue for another language: every key, nothing else. */
export type Catalogue = { readonly [K in Key]: Message };

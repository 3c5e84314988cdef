/** English: the sync state and what its problems mean, with what to do. */
export const sync = {
  "sync.label": "Sync state",
  "sync.localOnly": "On this device only",
  "sync.signedOut": "Signed out",
  "sync.syncing": "Syncing…",
  "sync.offline": "Offline",
  "sync.failed": "Sync problem",
  "sync.synced": "Synced {when}",
  "sync.neverSynced": "Not synced yet",
  "sync.pending": { one: "{count} change waiting", other: "{count} changes waiting" },
  "sync.pendingDetail": {
    one: "{count} change made here has not reached the server yet.",
    other: "{count} changes made here have not reached the server yet.",
  },
  "sync.lastSync": "Last sync: {when}",
  "sync.unknown": "Sync state unavailable",
  "sync.now": "Sync now",
  "sync.signInLink": "Sign in to a server in Settings",

  "problem.unreachable":
    "The server cannot be reached. Your work is kept on this device and goes up by itself when the server answers.",
  "problem.wrongPassword": "The user name or password was not accepted. Check them and sign in again.",
  "problem.sessionEnded": "The server no longer accepts this device's sign-in. Sign in again in Settings.",
  "problem.accessRefused": "The server refused access. Ask your manager for the rights you need.",
  "problem.changesRefused": {
    one: "The server refused {count} change: you may not change that record. It is kept for your manager to review.",
    other:
      "The server refused {count} changes: you may not change those records. They are kept for your manager to review.",
  },
  "problem.deactivated":
    "Your user was deactivated. This device handed its work over to the company; ask your manager.",
  "problem.badAddress": "That is not a server address: it starts with https:// (or http://).",
  "problem.badCertificate":
    "The certificate file named by FIELDBOOK_CA_CERT cannot be used. Ask your administrator for the right file.",
  "problem.failed": "The sync failed. Try again; if it keeps failing, tell your administrator what it says below.",
} as const;

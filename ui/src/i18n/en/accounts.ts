/** English: the accounts list. */
export const accounts = {
  "accounts.new": "New account",
  "accounts.import": "Import…",
  "accounts.create": "Create account",
  "accounts.filter": "Filter accounts",
  "accounts.filterPlaceholder": "Name, city, person…",
  "accounts.count": { one: "{count} account", other: "{count} accounts" },
  "accounts.noMatch": "No account matches.",
  "accounts.empty": "No accounts yet: add your first one.",
  "accounts.listLabel": "Accounts",
} as const;

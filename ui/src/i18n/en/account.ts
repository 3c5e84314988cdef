/** English: an account's page, its history and notes. */
export const account = {
  "account.back": "Back to accounts",
  "account.crumbs": "Where you are",
  "account.details": "Details",
  "account.hasConflicts": "Some fields were changed in two places at once: choose which value to keep below.",
  "account.contacts": "Contacts",
  "account.addContact": "Add contact",
  "account.noContacts": "No contacts yet.",
  "account.deals": "Deals",
  "account.addDeal": "Add deal",
  "account.noDeals": "No deals yet.",
  "account.quotes": "Quotes",
  "account.noQuotes": "No quotes yet. A quote is made from a deal.",
  "account.tasks": "Open tasks",
  "account.addTask": "Add task",
  "account.noTasks": "No open tasks.",
  "account.timeline": "Activity",
  "account.noActivities": "No activity logged yet.",
  "account.loggedBy": "{user} · {when}",
  "account.history": "History",

  "history.changed": "{user} changed {field}",
  "history.to": "to",

  "notes.placeholder": "What you learned, what they want, who decides… Saved as you type.",
  "notes.saving": "Saving…",
  "notes.saved": "Saved",
} as const;

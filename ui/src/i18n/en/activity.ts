/** English: logging an activity. */
export const activity = {
  "activity.log": "Log activity",
  "activity.kind": "What happened",
  "activity.subject": "Subject",
  "activity.account": "Account",
  "activity.findAccount": "Find an account…",
  "activity.changeAccount": "Change",
  "activity.contact": "Contact",
  "activity.deal": "Deal",
  "activity.body": "Notes",
  "activity.save": "Save activity",
} as const;

/** English: the day at a glance. */
export const today = {
  "today.greeting": "Hello, {user}",
  "today.tasks": "Tasks",
  "today.noTasks": "Nothing due this week.",
  "today.overdue": "Overdue",
  "today.dueToday": "Due today",
  "today.dueSoon": "This week",
  "today.closing": "Closing this month",
  "today.noDeals": "No open deal closes this month.",
  "today.activities": "Latest activities",
  "today.noActivities": "No activity logged yet.",
} as const;

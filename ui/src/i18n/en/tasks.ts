/** English: tasks and their reminders. */
export const tasks = {
  "tasks.new": "New task",
  "tasks.none": "No open tasks.",
  "tasks.markDone": "Mark “{title}” done",
  "tasks.markOpen": "Mark “{title}” not done",
  "tasks.overdueSince": "overdue since {date}",
  "tasks.dueTitle": "Task due",
  "tasks.dueBody": "{title} is due {date}.",
  "tasks.dueMany": { one: "{count} task is due.", other: "{count} tasks are due." },
} as const;

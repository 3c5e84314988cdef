/** 简体中文：任务与提醒。 */
import type { Translation } from "../catalogue";
import type { tasks as en } from "../en/tasks";

export const tasks: Translation<typeof en> = {
  "tasks.new": "新建任务",
  "tasks.none": "没有未完成的任务。",
  "tasks.markDone": "将“{title}”标为已完成",
  "tasks.markOpen": "将“{title}”标为未完成",
  "tasks.overdueSince": "自 {date} 起逾期",
  "tasks.dueTitle": "任务到期",
  "tasks.dueBody": "{title} 于 {date} 到期。",
  "tasks.dueMany": { other: "{count} 项任务已到期。" },
};

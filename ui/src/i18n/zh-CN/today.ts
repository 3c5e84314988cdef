/** 简体中文：今日概览。 */
import type { Translation } from "../catalogue";
import type { today as en } from "../en/today";

export const today: Translation<typeof en> = {
  "today.greeting": "您好，{user}",
  "today.tasks": "任务",
  "today.noTasks": "本周没有到期的任务。",
  "today.overdue": "已逾期",
  "today.dueToday": "今天到期",
  "today.dueSoon": "本周",
  "today.closing": "本月预计成交",
  "today.noDeals": "本月没有预计成交的商机。",
  "today.activities": "最近的活动",
  "today.noActivities": "还没有记录任何活动。",
};

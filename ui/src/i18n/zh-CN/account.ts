/** 简体中文：客户页面、修改历史与备注。 */
import type { Translation } from "../catalogue";
import type { account as en } from "../en/account";

export const account: Translation<typeof en> = {
  "account.back": "返回客户列表",
  "account.crumbs": "当前位置",
  "account.details": "详细信息",
  "account.hasConflicts": "部分字段在两处同时被修改：请在下方选择保留哪个值。",
  "account.contacts": "联系人",
  "account.addContact": "添加联系人",
  "account.noContacts": "还没有联系人。",
  "account.deals": "商机",
  "account.addDeal": "添加商机",
  "account.noDeals": "还没有商机。",
  "account.quotes": "报价单",
  "account.noQuotes": "还没有报价单。报价单从商机创建。",
  "account.tasks": "未完成的任务",
  "account.addTask": "添加任务",
  "account.noTasks": "没有未完成的任务。",
  "account.timeline": "活动",
  "account.noActivities": "还没有记录任何活动。",
  "account.loggedBy": "{user} · {when}",
  "account.history": "修改历史",

  "history.changed": "{user} 修改了{field}",
  "history.to": "改为",

  "notes.placeholder": "了解到的情况、客户的需求、谁来拍板……输入时自动保存。",
  "notes.saving": "正在保存…",
  "notes.saved": "已保存",
};

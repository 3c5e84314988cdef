/** 简体中文：记录活动。 */
import type { Translation } from "../catalogue";
import type { activity as en } from "../en/activity";

export const activity: Translation<typeof en> = {
  "activity.log": "记录活动",
  "activity.kind": "活动类型",
  "activity.subject": "主题",
  "activity.account": "客户",
  "activity.findAccount": "查找客户…",
  "activity.changeAccount": "更换",
  "activity.contact": "联系人",
  "activity.deal": "商机",
  "activity.body": "内容",
  "activity.save": "保存活动",
};

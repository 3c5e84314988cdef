/** 简体中文：客户列表。 */
import type { Translation } from "../catalogue";
import type { accounts as en } from "../en/accounts";

export const accounts: Translation<typeof en> = {
  "accounts.new": "新建客户",
  "accounts.import": "导入…",
  "accounts.create": "创建客户",
  "accounts.filter": "筛选客户",
  "accounts.filterPlaceholder": "名称、城市、联系人…",
  "accounts.count": { other: "{count} 个客户" },
  "accounts.noMatch": "没有符合条件的客户。",
  "accounts.empty": "还没有客户：添加第一个吧。",
  "accounts.listLabel": "客户列表",
};

/** 简体中文, merged from one file per area (zh-CN/*.ts), each with exactly its English keys. */

import type { Catalogue } from "./en";
import { account } from "./zh-CN/account";
import { accounts } from "./zh-CN/accounts";
import { activity } from "./zh-CN/activity";
import { followup } from "./zh-CN/followup";
import { dashboard } from "./zh-CN/dashboard";
import { data } from "./zh-CN/data";
import { pipeline } from "./zh-CN/pipeline";
import { quotes } from "./zh-CN/quotes";
import { records } from "./zh-CN/records";
import { search } from "./zh-CN/search";
import { security } from "./zh-CN/security";
import { settings } from "./zh-CN/settings";
import { shell } from "./zh-CN/shell";
import { sync } from "./zh-CN/sync";
import { tasks } from "./zh-CN/tasks";
import { today } from "./zh-CN/today";

export const zhCN: Catalogue = {
  ...shell,
  ...sync,
  ...records,
  ...today,
  ...accounts,
  ...account,
  ...search,
  ...activity,
  ...tasks,
  ...settings,
  ...pipeline,
  ...quotes,
  ...followup,
  ...dashboard,
  ...security,
  ...data,
};

/**
 * English: the source catalogue, merged from one file per area (en/*.ts). Its keys are the
 * keys: zh-CN must have exactly these (`Catalogue` makes tsc check that), and
 * i18n.test.ts checks that every key is used. A new area: add en/AREA.ts and
 * zh-CN/AREA.ts, and one line in each of en.ts and zh-CN.ts.
 */

import type { Message } from "./catalogue";
import { account } from "./en/account";
import { accounts } from "./en/accounts";
import { activity } from "./en/activity";
import { followup } from "./en/followup";
import { dashboard } from "./en/dashboard";
import { data } from "./en/data";
import { pipeline } from "./en/pipeline";
import { quotes } from "./en/quotes";
import { records } from "./en/records";
import { search } from "./en/search";
import { security } from "./en/security";
import { settings } from "./en/settings";
import { shell } from "./en/shell";
import { sync } from "./en/sync";
import { tasks } from "./en/tasks";
import { today } from "./en/today";

export const en = {
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
} as const satisfies Record<string, Message>;

/** A message key. */
export type Key = keyof typeof en;

/** A catalogue for another language: every key, nothing else. */
export type Catalogue = { readonly [K in Key]: Message };

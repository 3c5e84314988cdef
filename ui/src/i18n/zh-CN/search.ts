/** 简体中文：搜索页面与结果。 */
import type { Translation } from "../catalogue";
import type { search as en } from "../en/search";

export const search: Translation<typeof en> = {
  "search.hint": "在上方搜索框中输入（Ctrl K）：英文按词首匹配，中文任意两个字即可。",
  "search.none": "没有找到结果。",
  "search.results": "搜索结果",
};

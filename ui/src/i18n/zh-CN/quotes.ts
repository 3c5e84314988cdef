/** 简体中文：报价单与报价编辑器。 */
import type { Translation } from "../catalogue";
import type { quotes as en } from "../en/quotes";

export const quotes: Translation<typeof en> = {
  "quotes.new": "新建报价单",
  "quotes.none": "还没有报价单。",
  "quotes.fromDeal": "报价单从商机创建：打开商机，选择“新建报价单”。",
  "quotes.title": "报价单 {number}",
  "quotes.print": "打印",
  "quotes.validUntil": "有效期至 {date}",
  "quotes.noLines": "还没有明细：在下方添加产品。",
  "quotes.lineTotal": "小计",
  "quotes.cellLabel": "第 {line} 行的{field}",
  "quotes.removeLine": "删除此行",
  "quotes.removeLineLabel": "删除第 {line} 行",
  "quotes.addLine": "添加明细",
  "quotes.findProduct": "产品",
  "quotes.findProductPlaceholder": "按名称或货号搜索产品目录…",
  "quotes.noProduct": "没有匹配的产品：可作为自定义明细添加。",
  "quotes.addOwnLine": "添加“{description}”",
  "quotes.subtotal": "合计（税前）",
  "quotes.tax": "税额",
  "quotes.taxAt": "税额（{rate}）",
  "quotes.total": "总计",
};

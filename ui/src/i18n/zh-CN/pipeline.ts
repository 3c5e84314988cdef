/** 简体中文：商机看板与商机页面。 */
import type { Translation } from "../catalogue";
import type { pipeline as en } from "../en/pipeline";

export const pipeline: Translation<typeof en> = {
  "pipeline.hint": "将商机拖到其他阶段，或在卡片上的菜单中选择阶段。",
  "pipeline.amount": "金额",
  "pipeline.weighted": "加权",
  "pipeline.more": "显示更多",
  "pipeline.dealsIn": "{stage}阶段的商机",
  "pipeline.moveLabel": "{deal}的阶段",
  "pipeline.lostTitle": "这个商机为什么丢单？",
  "pipeline.lostPlaceholder": "价格、时机、竞争对手……",
  "pipeline.markLost": "标为丢单",
  "pipeline.dragStart": "已拿起 {deal}。",
  "pipeline.dragOver": "{deal} 位于{stage}上方。",
  "pipeline.dragEnd": "{deal} 已放到{stage}。",
  "pipeline.dragCancel": "已取消移动 {deal}。",
  "pipeline.dragHelp": "使用键盘时，请用卡片上的阶段菜单移动商机。",
};

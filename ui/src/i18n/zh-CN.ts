/** 简体中文. Exactly the keys of en.ts (tsc checks this through `Catalogue`). */

import type { Catalogue } from "./en";

export const zhCN: Catalogue = {
  "app.name": "Fieldbook",
  "app.skipToContent": "跳到正文",
  "app.loading": "正在打开您的客户资料…",
  "app.failed": "Fieldbook 无法打开数据存储",

  "nav.label": "主导航",
  "nav.today": "今日",
  "nav.accounts": "客户",
  "nav.pipeline": "商机",
  "nav.quotes": "报价",
  "nav.tasks": "任务",
  "nav.search": "搜索",
  "nav.settings": "设置",

  "search.label": "全局搜索",
  "search.placeholder": "搜索客户、联系人、商机…",
  "search.shortcut": "Ctrl K",

  "language.label": "语言",

  "sync.label": "同步状态",
  "sync.localOnly": "仅在本设备",
  "sync.signedOut": "已退出登录",
  "sync.synced": "{when}已同步",
  "sync.neverSynced": "尚未同步",
  "sync.pending": { other: "{count} 项更改待上传" },
  "sync.unknown": "无法获取同步状态",

  "firstRun.title": "欢迎使用 Fieldbook",
  "firstRun.intro": "您的客户、商机和报价保存在本设备上，没有网络也能使用。随时可以连接公司的服务器。",
  "firstRun.name": "您的姓名",
  "firstRun.currency": "默认货币",
  "firstRun.currencyHint": "三个字母，例如 CNY、USD 或 EUR",
  "firstRun.start": "开始离线工作",
  "firstRun.starting": "正在创建数据存储…",

  "today.greeting": "您好，{user}",
  "today.summary": "您的客户资料保存在本设备上，没有网络也能使用。",

  "screen.comingNext": "此页面正在建设中。您在其他地方输入的内容都会保留。",

  "settings.store": "本设备",
  "settings.user": "用户",
  "settings.currency": "默认货币",
  "settings.device": "设备代码",
  "settings.dataDir": "数据文件夹",
  "settings.version": "版本",
  "settings.server": "服务器",
  "settings.noServer": "无（离线工作）",
};

import type { Translation } from "../catalogue";
import type { shell as en } from "../en/shell";

export const shell: Translation<typeof en> = {
  "app.name": "Fieldbook",
  "app.skipToContent": "跳到正文",
  "app.loading": "正在打开您的客户资料…",
  "app.loadingRow": "正在加载…",
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

  "firstRun.title": "欢迎使用 Fieldbook",
  "firstRun.intro": "您的客户、商机和报价保存在本设备上，没有网络也能使用。随时可以连接公司的服务器。",
  "firstRun.name": "您的姓名",
  "firstRun.nameHint": "如果您有公司服务器的账号，请填写其用户名。",
  "firstRun.currency": "默认货币",
  "firstRun.currencyHint": "三个字母，例如 CNY、USD 或 EUR",
  "firstRun.start": "开始离线工作",
  "firstRun.connect": "同时连接公司服务器",
  "firstRun.startConnected": "开始并登录",
  "firstRun.continueOffline": "先离线使用（稍后在设置中登录）",
  "firstRun.starting": "正在创建数据存储…",

  "help.title": "键盘快捷键",
  "help.search": "全局搜索",
  "help.searchPick": "选择结果并打开",
  "help.log": "记录一次活动",
  "help.logSave": "在备注中保存活动",
  "help.close": "关闭对话框或列表",
  "help.help": "显示这些快捷键",

  "action.save": "保存",
  "action.cancel": "取消",
  "action.add": "添加",
  "action.close": "关闭",
};

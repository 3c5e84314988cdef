import type { Translation } from "../catalogue";
import type { sync as en } from "../en/sync";

export const sync: Translation<typeof en> = {
  "sync.label": "同步状态",
  "sync.localOnly": "仅在本设备",
  "sync.signedOut": "已退出登录",
  "sync.syncing": "正在同步…",
  "sync.offline": "离线",
  "sync.failed": "同步出现问题",
  "sync.synced": "{when}已同步",
  "sync.neverSynced": "尚未同步",
  "sync.pending": { other: "{count} 项更改待上传" },
  "sync.pendingDetail": { other: "本设备上有 {count} 项更改尚未到达服务器。" },
  "sync.lastSync": "上次同步：{when}",
  "sync.unknown": "无法获取同步状态",
  "sync.now": "立即同步",
  "sync.signInLink": "在设置中登录服务器",

  "problem.unreachable": "无法连接服务器。您的工作保存在本设备上，服务器恢复后会自动上传。",
  "problem.wrongPassword": "用户名或密码不正确。请检查后重新登录。",
  "problem.sessionEnded": "服务器不再接受本设备的登录。请在设置中重新登录。",
  "problem.accessRefused": "服务器拒绝了访问。请向您的经理申请所需的权限。",
  "problem.changesRefused": {
    other: "服务器拒绝了 {count} 项更改：您无权修改这些记录。它们已保留，等待经理审核。",
  },
  "problem.deactivated": "您的用户已被停用。本设备已将工作移交给公司；请联系您的经理。",
  "problem.badAddress": "这不是服务器地址：应以 https://（或 http://）开头。",
  "problem.badCertificate": "FIELDBOOK_CA_CERT 指定的证书文件无法使用。请向管理员索取正确的文件。",
  "problem.failed": "同步失败。请重试；如果一直失败，请把下面的信息告诉管理员。",
};

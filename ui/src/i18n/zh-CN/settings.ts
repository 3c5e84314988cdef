/** 简体中文：设置：服务器、登录、偏好、本设备。 */
import type { Translation } from "../catalogue";
import type { settings as en } from "../en/settings";

export const settings: Translation<typeof en> = {
  "settings.signIn": "连接服务器",
  "settings.signInIntro":
    "无论是否连接，您的数据都保存在本设备上。登录后，数据还会同步到公司服务器，同事的更改也会同步回来。",
  "settings.url": "服务器地址",
  "settings.userName": "用户名",
  "settings.password": "密码",
  "settings.signInButton": "登录",
  "settings.signingIn": "正在登录…",
  "settings.server": "服务器",
  "settings.signedInAs": "已以 {user} 身份登录 {server}",
  "settings.pendingOnSignOut": { other: "有 {count} 项更改等待上传。退出登录后它们仍保存在本设备，下次登录时上传。" },
  "settings.signOut": "退出登录",
  "settings.preferences": "偏好设置",
  "settings.currency": "默认货币",
  "settings.store": "本设备",
  "settings.user": "用户",
  "settings.noServer": "无（离线工作）",
  "settings.device": "设备代码",
  "settings.dataDir": "数据文件夹",
  "settings.version": "版本",
};

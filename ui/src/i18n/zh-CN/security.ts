/** 简体中文：静态加密：解锁数据库、加密保护、更改口令。 */
export const security = {
  "unlock.title": "解锁 Fieldbook",
  "unlock.intro": "您的客户数据在本机上已加密。请输入口令打开。",
  "unlock.passphrase": "口令",
  "unlock.submit": "解锁",
  "unlock.working": "正在解锁…",
  "unlock.store": "数据库：{dir}",

  "passphrase.new": "口令",
  "passphrase.repeat": "再输入一次",
  "passphrase.current": "当前口令",
  "passphrase.hint": "至少 {min} 个字符。一句好记的短句即可；忘记后无法找回。",
  "passphrase.mismatch": "两次输入的口令不一致：请输入同一个口令两次。",
  "passphrase.wrong": "此口令无法打开这个数据库。请检查键盘布局和大写锁定后重试。",
  "passphrase.weak": "太短：口令至少需要 {min} 个字符。",
  "passphrase.inUse": "数据库正被其他程序使用（fieldbook 命令，或此处正在进行的导入）。请关闭后重试；未做任何更改。",

  "protect.choice": "保护此数据库",
  "protect.withPassphrase": "用口令加密（推荐）",
  "protect.withPassphraseHint": "笔记本电脑丢失或被盗时不会泄露任何数据。每次启动 Fieldbook 时输入口令。",
  "protect.without": "不设口令，继续",
  "protect.withoutHint": "任何能读取本机文件的人都能看到您的客户。",

  "atRest.title": "本设备上的加密",
  "atRest.encrypted": "已用您的口令加密：没有口令，数据库文件不会泄露任何内容。",
  "atRest.plain": "未加密：任何能读取本机文件的人都能看到您的客户。",
  "atRest.encrypt": "加密此数据库",
  "atRest.encryptIntro":
    "Fieldbook 会写出整个数据库的加密副本，然后替换原文件。数据库较大时需要约一分钟，其间同步暂停。",
  "atRest.encrypting": "正在加密数据库…",
  "atRest.encrypted.done": "数据库已加密。Fieldbook 启动时会要求输入口令。",
  "atRest.change": "更改口令",
  "atRest.changeButton": "更改口令",
  "atRest.changing": "正在用新口令加密…",
  "atRest.changed": "口令已更改。",
  "atRest.working": "已用时 {seconds} 秒。请保持 Fieldbook 打开。",
} as const;

/** English: encryption at rest: unlocking the store, protecting it, changing the passphrase. */
export const security = {
  "unlock.title": "Unlock Fieldbook",
  "unlock.intro": "Your customers are encrypted on this computer. Type your passphrase to open them.",
  "unlock.passphrase": "Passphrase",
  "unlock.submit": "Unlock",
  "unlock.working": "Unlocking…",
  "unlock.store": "Store: {dir}",

  "passphrase.new": "Passphrase",
  "passphrase.repeat": "Type it again",
  "passphrase.current": "Current passphrase",
  "passphrase.hint":
    "At least {min} characters. A short sentence you will remember works well; it cannot be recovered if you forget it.",
  "passphrase.mismatch": "The two passphrases differ: type the same one twice.",
  "passphrase.wrong":
    "That passphrase does not open this store. Check the keyboard layout and Caps Lock, then try again.",
  "passphrase.weak": "Too short: a passphrase needs at least {min} characters.",
  "passphrase.inUse":
    "The store is open in another program (the fieldbook command, or an import running here). Close it and try again; nothing was changed.",

  "protect.choice": "Protect this store",
  "protect.withPassphrase": "Encrypt it with a passphrase (recommended)",
  "protect.withPassphraseHint":
    "A lost or stolen laptop then reveals nothing. You type the passphrase when Fieldbook starts.",
  "protect.without": "Go on without a passphrase",
  "protect.withoutHint": "Anyone who can read this computer's files can read your customers.",

  "atRest.title": "Encryption on this device",
  "atRest.encrypted": "Encrypted with your passphrase: the store's files reveal nothing without it.",
  "atRest.plain": "Not encrypted: anyone who can read this computer's files can read your customers.",
  "atRest.encrypt": "Encrypt this store",
  "atRest.encryptIntro":
    "Fieldbook writes an encrypted copy of the whole store, then swaps it in. A large store takes a minute; the sync pauses meanwhile.",
  "atRest.encrypting": "Encrypting the store…",
  "atRest.encrypted.done": "The store is encrypted. Fieldbook asks for the passphrase when it starts.",
  "atRest.change": "Change the passphrase",
  "atRest.changeButton": "Change passphrase",
  "atRest.changing": "Encrypting with the new passphrase…",
  "atRest.changed": "The passphrase is changed.",
  "atRest.working": "Working for {seconds} s. Keep Fieldbook open.",
} as const;

/** English: settings: server, sign-in, preferences, this device. */
export const settings = {
  "settings.signIn": "Connect to a server",
  "settings.signInIntro":
    "Your work stays on this device either way. Signed in, it also goes to your company's server and your colleagues' changes come back.",
  "settings.url": "Server address",
  "settings.userName": "User name",
  "settings.password": "Password",
  "settings.signInButton": "Sign in",
  "settings.signingIn": "Signing in…",
  "settings.server": "Server",
  "settings.signedInAs": "Signed in as {user} at {server}",
  "settings.pendingOnSignOut": {
    one: "{count} change waits to go up. Signing out keeps it here until you sign in again.",
    other: "{count} changes wait to go up. Signing out keeps them here until you sign in again.",
  },
  "settings.signOut": "Sign out",
  "settings.preferences": "Preferences",
  "settings.currency": "Default currency",
  "settings.store": "This device",
  "settings.user": "User",
  "settings.noServer": "None (working offline)",
  "settings.device": "Device code",
  "settings.dataDir": "Data folder",
  "settings.version": "Version",
} as const;

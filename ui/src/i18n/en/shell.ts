/** English: the frame, navigation, first run, shortcuts and shared actions. */
export const shell = {
  "app.name": "Fieldbook",
  "app.skipToContent": "Skip to content",
  "app.loading": "Opening your book of business…",
  "app.loadingRow": "Loading…",
  "app.failed": "Fieldbook could not open its store",

  "nav.label": "Main",
  "nav.today": "Today",
  "nav.accounts": "Accounts",
  "nav.pipeline": "Pipeline",
  "nav.quotes": "Quotes",
  "nav.tasks": "Tasks",
  "nav.search": "Search",
  "nav.settings": "Settings",

  "search.label": "Search everything",
  "search.placeholder": "Search accounts, people, deals…",
  "search.shortcut": "Ctrl K",

  "language.label": "Language",

  "firstRun.title": "Welcome to Fieldbook",
  "firstRun.intro":
    "Your accounts, deals and quotes live on this device and work with no network. Connect to your company's server whenever you like.",
  "firstRun.name": "Your name",
  "firstRun.nameHint": "Your user name on your company's server, if you have one.",
  "firstRun.currency": "Default currency",
  "firstRun.currencyHint": "Three letters, such as EUR, USD or CNY",
  "firstRun.start": "Start working offline",
  "firstRun.starting": "Creating your store…",
  "firstRun.connect": "Also connect to my company's server now",
  "firstRun.startConnected": "Start and sign in",
  "firstRun.continueOffline": "Go on offline (sign in later in Settings)",

  "help.title": "Keyboard shortcuts",
  "help.search": "Search everything",
  "help.searchPick": "Choose a result and open it",
  "help.log": "Log an activity",
  "help.logSave": "Save the activity from its notes",
  "help.close": "Close a dialog or a list",
  "help.help": "Show these shortcuts",

  "action.save": "Save",
  "action.cancel": "Cancel",
  "action.add": "Add",
  "action.close": "Close",
} as const;

/** Entry point: the Tauri transport, the i18n layer, the app. */

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { ApiProvider } from "./api/context";
import { insideTauri, tauriApi } from "./api/tauri";
import { I18nProvider } from "./i18n/I18n";
import "./styles/index.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");

if (insideTauri()) {
  createRoot(root).render(
    <StrictMode>
      <I18nProvider>
        <ApiProvider api={tauriApi}>
          <App />
        </ApiProvider>
      </I18nProvider>
    </StrictMode>,
  );
} else {
  // A plain browser tab has no Tauri IPC; the HTTP transport (managers' web page) comes later.
  root.textContent = "Fieldbook runs inside its desktop app: cargo run -p fieldbook-app";
}

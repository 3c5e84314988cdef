/** Entry point: the transport (Tauri IPC in the app, HTTP in a browser), the i18n layer, the app. */

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { ApiProvider } from "./api/context";
import { httpApi } from "./api/http";
import { insideTauri, tauriApi } from "./api/tauri";
import { I18nProvider } from "./i18n/I18n";
import "./styles/index.css";
import { WebApp } from "./web/WebApp";

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
  // A browser: the managers' web page, over HTTP to the server that served it.
  createRoot(root).render(
    <StrictMode>
      <I18nProvider>
        <ApiProvider api={httpApi()}>
          <WebApp />
        </ApiProvider>
      </I18nProvider>
    </StrictMode>,
  );
}

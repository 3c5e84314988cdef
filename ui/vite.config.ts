// Vite serves the front-end to the Tauri window (`devUrl` in src-tauri/tauri.conf.json) and
// builds it into dist/ (embedded in the app binary). Vitest reads the `test` block.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: { outDir: "dist", emptyOutDir: true },
  test: { include: ["src/**/*.test.ts", "src/**/*.test.tsx"] },
});

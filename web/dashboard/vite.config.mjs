// The dashboard bundle: Preact with esbuild's automatic JSX, served by the
// lunarstream binary under /dashboard/ (every asset from 'self': the CSP has
// no CDN and no inline script or style). CMake runs `npm run build` with
// LS_DASHBOARD_OUT set to a directory in the build tree and embeds the result.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "/dashboard/",
  logLevel: "warn",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: process.env.LS_DASHBOARD_OUT || fileURLToPath(new URL("../dist/dashboard", import.meta.url)),
    emptyOutDir: true,
    target: "es2020",
    // The polyfill would be a script of its own; every browser the dashboard
    // supports has modulepreload.
    modulePreload: { polyfill: false },
    // Never inline assets as data: URLs into CSS or JS (img-src allows data:,
    // but fonts and scripts must come from 'self').
    assetsInlineLimit: 0,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
    reportCompressedSize: false,
  },
});

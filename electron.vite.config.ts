import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import pkg from './package.json';

// electron-vite reads Electron's major version from the electron package, which is absent where its binary
// could not be downloaded (an optional dependency); take it from package.json instead.
process.env.ELECTRON_MAJOR_VER ||= /(\d+)/.exec(pkg.optionalDependencies.electron)![1];

/**
 * main: three entries bundled side by side in out/main — the Electron app (index), the browser-mode host
 * (host, also used by end-to-end tests), the job worker (worker) and the read pool's task module (reads). Dependencies stay external.
 * preload: one sandboxed CommonJS script. renderer: the React app, served by Electron or by the host; its
 * per-feature CSS modules (`*.module.css`) export camelCase class names (`.rb-mode` -> `styles.rbMode`).
 */
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/electron/main.ts'),
          host: resolve(__dirname, 'src-main/host/main.ts'),
          worker: resolve(__dirname, 'src-main/app/worker.ts'),
          // piscina task module of the read pool (heavy reads off the request thread, src-main/reads)
          reads: resolve(__dirname, 'src-main/reads/worker.ts'),
          // piscina task modules of the helper threads jobs start: training shards and hedge halves; CSV parsing
          threads: resolve(__dirname, 'src-main/threads/task.ts'),
          csvparse: resolve(__dirname, 'src-main/domains/orderbook/io/csvTask.ts'),
          // the workstation backend in Electron's utilityProcess (the main process only owns windows)
          backend: resolve(__dirname, 'src-main/backend/main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src-main/electron/preload.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
      minify: true,
      chunkSizeWarningLimit: 4000,
    },
    css: { modules: { localsConvention: 'camelCaseOnly' } },
    plugins: [react()],
  },
});

import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const sharedSrc = fileURLToPath(new URL('../shared/src/', import.meta.url));

/** Where `npm run dev` forwards `/api` and `/socket.io`; the server listens on 3000 by default. */
const apiTarget = process.env.FLOORBOARD_DEV_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [vue()],
  // vue-i18n's bundler flags: Composition API only (drops the legacy API), no <i18n-t> components (texts go
  // through t()), no devtools in production. Messages compile just in time from their AST, without eval.
  define: {
    __VUE_I18N_LEGACY_API__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  resolve: {
    alias: {
      '@floorboard/shared': `${sharedSrc}index.ts`,
    },
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: true },
      '/socket.io': { target: apiTarget, changeOrigin: true, ws: true },
    },
  },
  build: {
    // ECharts alone is ~650 kB once charts land; the default 500 kB warning would fire on every build.
    chunkSizeWarningLimit: 1000,
    rolldownOptions: {
      treeshake: {
        // shared/ is pure and its zod schemas are for the server: without these two hints every schema built
        // at import time (`z.object(…)`) would drag zod (~90 kB) into the bundle although the dashboard never
        // validates with it.
        moduleSideEffects: (id) => (id.startsWith(sharedSrc) ? false : undefined),
        manualPureFunctions: ['z'],
      },
    },
  },
});

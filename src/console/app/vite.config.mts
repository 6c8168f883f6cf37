import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The staff console: a static single-page app built into dist/console and served by the
 * server at /console. JSX is compiled for Preact from tsconfig.json (jsxImportSource).
 * `npm run console:dev` serves it with hot reload and forwards /graphql to a running server.
 */
export default defineConfig({
  root: here,
  base: '/console/',
  build: {
    outDir: fileURLToPath(new URL('../../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // Inline nothing: the console's CSP allows only its own files.
    assetsInlineLimit: 0,
    sourcemap: true,
  },
  server: {
    proxy: { '/graphql': { target: 'http://127.0.0.1:3000', ws: true } },
  },
});

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The console's bundle. JSX goes through Vite's own oxc transform with React's automatic runtime (no plugin:
 * @vitejs/plugin-react does not resolve beside jest's Babel 7). Served by the API at / from dist/console.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: here('../../dist/console'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
  },
  // `vite` (dev) on its own port, talking to an API on 3000.
  server: {
    proxy: {
      '/graphql': { target: 'http://localhost:3000', ws: true },
      '/feeds': 'http://localhost:3000',
      '/runs': 'http://localhost:3000',
    },
  },
});

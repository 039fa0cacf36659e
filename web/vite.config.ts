import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console is built from web/ into dist/web, which the server serves under a strict CSP:
// no inline scripts and no eval, so nothing here may inline JavaScript into index.html.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // Keep every asset a real file: `data:` is allowed for images only, not for fonts or scripts.
    assetsInlineLimit: 0,
    rolldownOptions: {
      output: {
        // Libraries change far less often than the console: separate chunks stay cached across releases.
        codeSplitting: {
          groups: [
            { name: 'mantine', test: /node_modules[\\/]@mantine[\\/]/ },
            // CSV reading (Add people) loads on demand only: kept out of the eagerly loaded vendor chunk.
            { name: 'vendor', test: /node_modules[\\/](?!csv-parse[\\/])/ },
          ],
        },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    // The API's same-origin check compares the browser's Origin with ROSTER_PUBLIC_URL, which `npm run dev` sets to
    // this dev server. The Host header passes through unchanged all the same (the string shorthand sets changeOrigin).
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});

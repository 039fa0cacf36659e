#!/usr/bin/env node
// Runs the compiled CLI; `npm run build` (or `npm start`) produces dist/server.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'server', 'main.js');
if (!existsSync(entry)) {
  console.error('Roster is not built yet: run `npm run build` first.');
  process.exit(1);
}
await import(entry);

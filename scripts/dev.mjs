// `npm run dev`: the API with reload on change (tsx watch) and the console with hot reload (Vite, proxying /api).
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
// People open the console on Vite's port, so that is the public URL: the API's same-origin check compares every
// browser write's Origin with it (a loopback URL also accepts localhost and [::1]).
const apiEnv = { ...process.env, ROSTER_PUBLIC_URL: process.env.ROSTER_PUBLIC_URL ?? 'http://127.0.0.1:5173' };
const children = [
  spawn('npx', ['tsx', 'watch', 'src/main.ts', 'serve'], { cwd: root, stdio: 'inherit', env: apiEnv }),
  spawn('npx', ['vite', '--config', 'web/vite.config.ts'], { cwd: root, stdio: 'inherit' }),
];
console.log('API on http://127.0.0.1:3000, console with hot reload on http://127.0.0.1:5173');
const stop = () => {
  for (const child of children) child.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children) child.on('exit', (code) => code && process.exit(code));

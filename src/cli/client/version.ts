import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The package version, read from package.json whether the CLI runs from src/ (tsx) or dist/server/ (built). */
export function cliVersion(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  try {
    cached = String((JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: unknown }).version ?? '0.0.0');
  } catch {
    cached = '0.0.0';
  }
  return cached;
}

/** Sent with every request, so the server audits the CLI's actions with `via: cli` (docs/product/audit-log.md#actions). */
export function cliUserAgent(): string {
  return `roster-cli/${cliVersion()}`;
}

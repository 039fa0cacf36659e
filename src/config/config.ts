import os from 'node:os';
import path from 'node:path';
import { parseSecretKeysConfig, type SecretKeysConfig } from './secret-keys.js';

/** The whole runtime configuration, read once from the environment at start (docs/product/running.md#configuration). */
export interface Config {
  database: DatabaseConfig;
  host: string;
  port: number;
  /** Where people open the console; decides cookie name, `Secure` and HSTS. */
  publicUrl: URL;
  /** Peers whose `X-Forwarded-For` is believed (exact IPs or CIDR blocks). */
  trustedProxies: string[];
  /** Client addresses /metrics answers without a token (CIDR blocks or IPs): loopback and the trusted proxies by default. */
  metricsAllow: string[];
  passwordMinLength: number;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  temporaryPasswordHours: number;
  logLevel: LogLevel;
  adminUsername: string;
  adminEmail: string;
  /** Concurrent argon2 hashes; the rest queue (docs/product/security-settings.md#passwords: max(1, cores − 1)). */
  hashConcurrency: number;
  /** Waiting logins beyond this answer 429 at once (docs/product/speed-targets.md#targets). */
  hashQueueLimit: number;
  /** The secret store's keys from the environment (never printed: see secret-keys.ts). */
  secretKeys: SecretKeysConfig;
}

export type DatabaseConfig = { kind: 'sqlite'; file: string; url: string } | { kind: 'postgres'; url: string };

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** Thrown for every unusable variable at once, so an operator fixes them in one pass. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** One row per variable: the README's configuration table is checked against this list by a test. */
export const configVariables = [
  { name: 'ROSTER_DATABASE_URL', default: 'sqlite:./data/roster.db', description: '`sqlite:<path>` or `postgres://user@host:port/db`' },
  { name: 'ROSTER_HOST', default: '127.0.0.1', description: 'Interface to listen on' },
  { name: 'ROSTER_PORT', default: '3000', description: 'TCP port (0 picks a free one)' },
  { name: 'ROSTER_PUBLIC_URL', default: 'http://<host>:<port>', description: 'URL people open; https turns on `Secure` cookies and HSTS' },
  { name: 'ROSTER_TRUSTED_PROXIES', default: '(none)', description: 'Comma-separated IPs/CIDRs whose `X-Forwarded-For` is trusted' },
  {
    name: 'ROSTER_METRICS_ALLOW',
    default: 'loopback + ROSTER_TRUSTED_PROXIES',
    description: 'Comma-separated IPs/CIDRs that may read `/metrics`; others need a token with `organization.metrics.view`',
  },
  { name: 'ROSTER_PASSWORD_MIN_LENGTH', default: '15', description: 'Minimum password length (8–256)' },
  { name: 'ROSTER_SESSION_IDLE_MINUTES', default: '60', description: 'Session idle timeout' },
  { name: 'ROSTER_SESSION_MAX_HOURS', default: '24', description: 'Session absolute lifetime' },
  { name: 'ROSTER_TEMP_PASSWORD_HOURS', default: '72', description: 'Lifetime of a temporary password' },
  { name: 'ROSTER_LOG_LEVEL', default: 'info', description: '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`' },
  { name: 'ROSTER_ADMIN_USERNAME', default: 'admin', description: 'Username of the first Owner created on an empty database' },
  { name: 'ROSTER_ADMIN_EMAIL', default: 'admin@localhost', description: 'Email of the first Owner' },
  { name: 'ROSTER_HASH_CONCURRENCY', default: 'max(1, cores − 1)', description: 'Password hashes computed at once' },
  { name: 'ROSTER_HASH_QUEUE_LIMIT', default: '256', description: 'Logins waiting for a hash slot before 429' },
  {
    name: 'ROSTER_SECRET_KEY',
    default: 'SQLite: a key file beside the database; PostgreSQL: (none)',
    description: '32 bytes, base64: encrypts secrets the server reads back (TOTP seeds, provider secrets, signing keys)',
  },
  {
    name: 'ROSTER_SECRET_KEYS_OLD',
    default: '(none)',
    description: 'Comma-separated earlier keys, still read until `roster secrets rekey`',
  },
] as const;

type Env = Record<string, string | undefined>;

/** Validates the environment into a Config; throws ConfigError listing every bad value. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`${name}=${JSON.stringify(raw)} must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };

  const database = parseDatabaseUrl(read('ROSTER_DATABASE_URL') ?? 'sqlite:./data/roster.db', cwd, problems);
  const host = read('ROSTER_HOST') ?? '127.0.0.1';
  const port = integer('ROSTER_PORT', 3000, 0, 65535);
  const publicUrl = parsePublicUrl(read('ROSTER_PUBLIC_URL'), host, port, problems);
  const trustedProxies = (read('ROSTER_TRUSTED_PROXIES') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const proxy of trustedProxies) {
    if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(proxy))
      problems.push(`ROSTER_TRUSTED_PROXIES entry ${JSON.stringify(proxy)} is not an IP address or CIDR block`);
  }
  const metricsAllowRaw = read('ROSTER_METRICS_ALLOW');
  const metricsAllow = metricsAllowRaw
    ? metricsAllowRaw
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean)
    : ['127.0.0.0/8', '::1/128', ...trustedProxies];
  for (const entry of metricsAllow) {
    if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(entry))
      problems.push(`ROSTER_METRICS_ALLOW entry ${JSON.stringify(entry)} is not an IP address or CIDR block`);
  }
  const logLevel = (read('ROSTER_LOG_LEVEL') ?? 'info') as LogLevel;
  if (!logLevels.includes(logLevel)) problems.push(`ROSTER_LOG_LEVEL=${JSON.stringify(logLevel)} must be one of ${logLevels.join(', ')}`);

  const config: Config = {
    database: database ?? { kind: 'sqlite', file: path.resolve(cwd, 'data/roster.db'), url: 'sqlite:./data/roster.db' },
    host,
    port,
    publicUrl,
    trustedProxies,
    metricsAllow,
    passwordMinLength: integer('ROSTER_PASSWORD_MIN_LENGTH', 15, 8, 256),
    sessionIdleMinutes: integer('ROSTER_SESSION_IDLE_MINUTES', 60, 1, 60 * 24 * 30),
    sessionMaxHours: integer('ROSTER_SESSION_MAX_HOURS', 24, 1, 24 * 90),
    temporaryPasswordHours: integer('ROSTER_TEMP_PASSWORD_HOURS', 72, 1, 24 * 30),
    logLevel,
    adminUsername: read('ROSTER_ADMIN_USERNAME') ?? 'admin',
    adminEmail: read('ROSTER_ADMIN_EMAIL') ?? 'admin@localhost',
    hashConcurrency: integer('ROSTER_HASH_CONCURRENCY', Math.max(1, os.availableParallelism() - 1), 1, 256),
    hashQueueLimit: integer('ROSTER_HASH_QUEUE_LIMIT', 256, 1, 100_000),
    secretKeys: parseSecretKeysConfig(read('ROSTER_SECRET_KEY'), read('ROSTER_SECRET_KEYS_OLD'), problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function parseDatabaseUrl(raw: string, cwd: string, problems: string[]): DatabaseConfig | undefined {
  if (raw.startsWith('sqlite:')) {
    const file = raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (file === '') {
      problems.push('ROSTER_DATABASE_URL=sqlite: needs a file path, e.g. sqlite:./data/roster.db');
      return undefined;
    }
    return { kind: 'sqlite', file: file === ':memory:' ? file : path.resolve(cwd, file), url: raw };
  }
  if (raw.startsWith('postgres://') || raw.startsWith('postgresql://')) {
    try {
      const url = new URL(raw);
      if (!url.hostname && !url.searchParams.get('host')) throw new Error('no host');
      return { kind: 'postgres', url: raw };
    } catch {
      problems.push('ROSTER_DATABASE_URL is not a valid postgres:// URL (expected postgres://user@host:port/database)');
      return undefined;
    }
  }
  problems.push('ROSTER_DATABASE_URL must start with sqlite: or postgres:// (got something else)');
  return undefined;
}

function parsePublicUrl(raw: string | undefined, host: string, port: number, problems: string[]): URL {
  const fallbackHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const fallback = new URL(`http://${fallbackHost.includes(':') ? `[${fallbackHost}]` : fallbackHost}:${port}`);
  if (raw === undefined) return fallback;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    return url;
  } catch {
    problems.push(`ROSTER_PUBLIC_URL=${JSON.stringify(raw)} must be an http:// or https:// URL`);
    return fallback;
  }
}

/** True when ROSTER_PUBLIC_URL was left to default, so the real port can be filled in after listening. */
export function publicUrlIsDefault(env: Env = process.env): boolean {
  return !env.ROSTER_PUBLIC_URL?.trim();
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliError } from '../errors.js';

/** One server the CLI talks to, with the personal API token it uses there. */
export interface ClientContext {
  url: string;
  token: string;
}

/** `~/.config/roster/config.json`: named contexts and the current one, like `sem context`. */
export interface ClientConfig {
  contexts: Record<string, ClientContext>;
  current: string | null;
}

type Env = Record<string, string | undefined>;

/** `ROSTER_CONFIG`, else `$XDG_CONFIG_HOME/roster/config.json`, else `~/.config/roster/config.json`. */
export function clientConfigPath(env: Env = process.env): string {
  if (env.ROSTER_CONFIG?.trim()) return path.resolve(env.ROSTER_CONFIG.trim());
  const base =
    env.XDG_CONFIG_HOME?.trim() && path.isAbsolute(env.XDG_CONFIG_HOME.trim())
      ? env.XDG_CONFIG_HOME.trim()
      : path.join(os.homedir(), '.config');
  return path.join(base, 'roster', 'config.json');
}

const emptyConfig = (): ClientConfig => ({ contexts: {}, current: null });

/**
 * Reads the client configuration; a missing file is an empty configuration. The file holds API tokens, so it is
 * refused when anyone but its owner may read or write it (on POSIX systems).
 */
export function readClientConfig(file: string): ClientConfig {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyConfig();
    throw error;
  }
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
    throw new CliError(
      'insecure_config',
      `${file} holds API tokens but other users may read it (mode ${mode}); run "chmod 600 ${file}" and try again.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new CliError('invalid_config', `${file} is not valid JSON; fix it or delete it and run "roster connect" again.`);
  }
  return normalize(parsed, file);
}

function normalize(value: unknown, file: string): ClientConfig {
  const invalid = () => new CliError('invalid_config', `${file} does not look like a Roster CLI configuration.`);
  if (typeof value !== 'object' || value === null) throw invalid();
  const { contexts, current } = value as { contexts?: unknown; current?: unknown };
  const config = emptyConfig();
  if (contexts !== undefined) {
    if (typeof contexts !== 'object' || contexts === null) throw invalid();
    for (const [name, context] of Object.entries(contexts)) {
      const { url, token } = (context ?? {}) as { url?: unknown; token?: unknown };
      if (typeof url !== 'string' || typeof token !== 'string') throw invalid();
      config.contexts[name] = { url, token };
    }
  }
  config.current = typeof current === 'string' && current in config.contexts ? current : null;
  return config;
}

/** Writes the configuration atomically with mode 0600 (directory 0700), never leaving a readable copy behind. */
export function writeClientConfig(file: string, config: ClientConfig): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temporary = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    // The mode passed to open is filtered by the umask; make sure it is exactly 0600.
    fs.chmodSync(temporary, 0o600);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/** The context to use: `--context <name>`, else the current one; a clear error when there is none. */
export function selectContext(config: ClientConfig, requested: string | undefined): { name: string; context: ClientContext } {
  const name = requested ?? config.current;
  if (!name) throw new CliError('not_connected', 'No server is configured yet; run "roster connect <url>" first.');
  const context = config.contexts[name];
  if (!context) {
    const known = Object.keys(config.contexts);
    throw new CliError('unknown_context', `There is no context "${name}"${known.length ? `; known: ${known.join(', ')}` : ''}.`);
  }
  return { name, context };
}

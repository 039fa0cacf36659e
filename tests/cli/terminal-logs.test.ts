import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { freePort, rosterEntry, rosterEnv, startRoster } from '../support/processes.js';

/**
 * docs/product/running.md#logs — the server log suits its reader. In a terminal (a pseudo-terminal from util-linux
 * `script`, as a person's shell gives it): one-liners, no per-request lines unless ROSTER_LOG_LEVEL is debug, and the
 * first-start credentials framed after every start-up line. On a pipe: JSON lines exactly as before. SQLite only: the
 * log format does not depend on the database.
 */
describe('server logs', () => {
  const databases: TestDatabase[] = [];
  const freshDatabase = async () => {
    const database = await createTestDatabase('sqlite');
    databases.push(database);
    return database.config.url;
  };
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  /** `roster serve` under `script`: stdout is a terminal. Resolves once the frame's last line (or `Open:`) is out. */
  async function startInTerminal(env: Record<string, string>) {
    const port = await freePort();
    const command = ['node', ...rosterEntry()].map((arg) => `'${arg}'`).join(' ');
    const child = spawn('script', ['-qec', `${command} serve`, '/dev/null'], {
      env: rosterEnv({ ROSTER_HOST: '127.0.0.1', ROSTER_PORT: String(port), ...env }),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start in a terminal:\n${out}`)), 90_000);
      const check = () => {
        if (/╰─+╯|^Open: /m.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', check);
      child.on('exit', () => reject(new Error(`exited:\n${out}`)));
    });
    return {
      url: `http://127.0.0.1:${port}`,
      lines: () => out.split(/\r?\n/).filter((line) => line.trim() !== ''),
      stop: () =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          if (child.pid) process.kill(-child.pid, 'SIGTERM');
        }),
    };
  }

  it('in a terminal: one-liners, no request lines at info, and the credentials framed after every start-up line', async () => {
    const server = await startInTerminal({ ROSTER_DATABASE_URL: await freshDatabase(), ROSTER_LOG_LEVEL: 'info' });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const lines = server.lines();
      expect(
        lines.filter((line) => line.startsWith('{')),
        'no JSON line in a terminal',
      ).toEqual([]);
      const listening = lines.findIndex((line) => /^\d\d:\d\d:\d\d INFO {2}Server listening at http/.test(line));
      const auditHead = lines.findIndex((line) => /^\d\d:\d\d:\d\d INFO {2}audit chain head auditHead=/.test(line));
      const top = lines.findIndex((line) => line.startsWith('╭─'));
      const bottom = lines.findIndex((line) => line.startsWith('╰─'));
      expect(listening).toBeGreaterThanOrEqual(0);
      expect(auditHead).toBeGreaterThanOrEqual(0);
      expect(top).toBeGreaterThan(Math.max(listening, auditHead));
      expect(bottom, 'the frame is the last thing printed').toBe(lines.length - 1);
      const frame = lines.slice(top + 1, bottom);
      expect(frame.every((line) => line.startsWith('│ ') && line.endsWith(' │'))).toBe(true);
      expect(frame).toContainEqual(expect.stringMatching(/^│ Owner: admin +│$/));
      expect(frame).toContainEqual(expect.stringMatching(/^│ Temporary password: [0-9A-HJKMNP-TV-Z]{20} +│$/));
      expect(frame).toContainEqual(expect.stringMatching(new RegExp(`^│ Open: ${server.url}/login +│$`)));
      expect(lines.some((line) => line.includes('/healthz'))).toBe(false);
    } finally {
      await server.stop();
    }
  }, 120_000);

  it('in a terminal at ROSTER_LOG_LEVEL=debug: one line per request, with method, URL, status and time', async () => {
    const server = await startInTerminal({ ROSTER_DATABASE_URL: await freshDatabase(), ROSTER_LOG_LEVEL: 'debug' });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(server.lines()).toContainEqual(expect.stringMatching(/^\d\d:\d\d:\d\d DEBUG GET \/healthz 200 [\d.]+ ms$/));
    } finally {
      await server.stop();
    }
  }, 120_000);

  it('on a pipe: JSON lines as before, request lines at info, the credentials as plain lines', async () => {
    const server = await startRoster({ ROSTER_DATABASE_URL: await freshDatabase(), ROSTER_LOG_LEVEL: 'info' });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const lines = server.output().split('\n').filter(Boolean);
      const json = lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(json).toContainEqual(expect.objectContaining({ level: 30, msg: expect.stringMatching(/^Server listening at http/) }));
      expect(json).toContainEqual(expect.objectContaining({ level: 30, msg: 'request completed', res: { statusCode: 200 } }));
      expect(lines).toContainEqual(expect.stringMatching(/^Temporary password: [0-9A-HJKMNP-TV-Z]{20}$/));
      expect(lines.some((line) => /[╭╰│]/.test(line))).toBe(false);
    } finally {
      await server.stop();
    }
  }, 120_000);
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases.js';
import { type RunningServer, runRosterAsync as runRoster, startRoster } from '../support/processes.js';
import { logInOverHttp } from '../support/session.js';
import { firstOwnerPassword, resetTokenOverHttp } from './support.js';

// Every CLI call is a fresh Node process (about 1–4 s on two busy cores), so the case gets a generous budget.
const slow = 300_000;
const ownerPassword = 'owner password for the service account cli tests';
const tokenPattern = /^rss_[0-9A-Za-z]{38}$/;

describeEachDatabase('roster service-accounts, and a service account driving the CLI', (dialect) => {
  let database: TestDatabase;
  let server: RunningServer;
  let configDir: string;
  const ownerConfig = () => path.join(configDir, 'owner.json');
  const botConfig = () => path.join(configDir, 'bot.json');
  const asOwner = (args: string[], input?: string) => runRoster(args, { ROSTER_CONFIG: ownerConfig() }, input);
  const asBot = (args: string[], input?: string) => runRoster(args, { ROSTER_CONFIG: botConfig() }, input);
  const json = <T>(run: { stdout: string; stderr: string; code: number }): T => {
    try {
      return JSON.parse(run.stdout) as T;
    } catch {
      throw new Error(`not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    server = await startRoster({ ROSTER_DATABASE_URL: database.config.url });
    const owner = await logInOverHttp(server.url, 'admin', firstOwnerPassword(server.output()), ownerPassword);
    const token = await resetTokenOverHttp(owner, ownerPassword);
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-sa-cli-'));
    fs.writeFileSync(ownerConfig(), JSON.stringify({ contexts: { test: { url: server.url, token } }, current: 'test' }), { mode: 0o600 });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
  }, slow);

  it(
    'creates, shows, lists, connects with the rss_ token, deactivates, reactivates, regenerates and removes',
    async () => {
      const created = await asOwner(['service-accounts', 'create', 'ci-bot', '--description', 'CI', '--expires-in', '30', '--json']);
      expect(created.code, created.stderr).toBe(0);
      const body = json<{ serviceAccount: { id: string; name: string; token: { expiresAt: string } }; token: string }>(created);
      expect(body.token).toMatch(tokenPattern);
      expect(body.serviceAccount.name).toBe('ci-bot');
      expect(created.stderr).toContain('shown once');

      // Human form: the token is printed once, on its own last line of stdout.
      const human = await asOwner(['service-accounts', 'create', 'nightly', '--role', 'admin', '--expires-in', 'never']);
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout.trim().split('\n').at(-1)).toMatch(tokenPattern);
      expect(human.stdout).toContain('expires never');

      const listed = json<{ items: Array<{ name: string; status: string }> }>(await asOwner(['service-accounts', 'list', '--json']));
      expect(listed.items.map((item) => item.name)).toEqual(['ci-bot', 'nightly']);
      const shown = await asOwner(['service-accounts', 'show', 'ci-bot']);
      expect(shown.stdout).toContain('Status:       active');
      expect(shown.stdout).not.toContain(body.token);

      // The service account's token drives the CLI.
      const connected = await asBot(['connect', server.url, '--name', 'bot', '--json'], `${body.token}\n`);
      expect(connected.code, connected.stderr).toBe(0);
      expect(json(connected)).toMatchObject({ username: 'ci-bot', effectiveRole: 'member' });
      const me = json<{ user: { type: string; username: string } }>(await asBot(['me', '--json']));
      expect(me.user).toMatchObject({ type: 'service_account', username: 'ci-bot' });
      const projects = await asBot(['projects', 'list', '--json']);
      expect(projects.code, projects.stderr).toBe(0);

      expect((await asOwner(['service-accounts', 'deactivate', 'ci-bot'])).code).toBe(0);
      const refused = await asBot(['me']);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('service_account_deactivated');
      expect((await asOwner(['service-accounts', 'reactivate', 'ci-bot'])).code).toBe(0);
      expect((await asBot(['me'])).code).toBe(0);

      const regenerated = await asOwner(['service-accounts', 'regenerate-token', 'ci-bot', '--json']);
      const fresh = json<{ token: string; expiresAt: string }>(regenerated);
      expect(fresh.token).toMatch(tokenPattern);
      expect((await asBot(['me'])).stderr).toContain('invalid_token');

      const updated = await asOwner(['service-accounts', 'update', 'ci-bot', '--description', 'Deploys', '--json']);
      expect(json<{ description: string }>(updated).description).toBe('Deploys');
      const removed = await asOwner(['service-accounts', 'remove', 'ci-bot', '--json']);
      expect(json(removed)).toMatchObject({ name: 'ci-bot', removed: true });
      expect(json<{ items: unknown[] }>(await asOwner(['service-accounts', 'list', '--json'])).items).toHaveLength(1);
    },
    slow,
  );
});

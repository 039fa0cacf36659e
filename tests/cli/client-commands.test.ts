import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases.js';
import { testSecretKeyEnv, totpCode } from '../support/mfa.js';
import { type RunningServer, runRosterAsync as runRoster, runRosterInTerminal, startRoster } from '../support/processes.js';
import { type HttpAnswer, logInOverHttp, type SessionClient } from '../support/session.js';
import { firstOwnerPassword, resetTokenOverHttp } from './support.js';

// Every CLI call is a fresh Node process (about 1–4 s on two busy cores), so each case gets a generous budget.
const slow = 240_000;

const ownerPassword = 'owner password for the cli tests';
const memberPassword = 'member password for the cli tests';

describeEachDatabase('roster CLI against a running server', (dialect) => {
  let database: TestDatabase;
  let server: RunningServer;
  let configDir: string;
  /** The Owner's current API token (the token reset test replaces it). */
  let token: string;
  let owner: SessionClient<HttpAnswer>;
  const configFile = () => path.join(configDir, 'roster', 'config.json');
  /** What `roster connect` stores (tested below), written directly: every test but that one starts connected. */
  const storeContexts = (names: string[] = ['test']) => {
    fs.mkdirSync(path.dirname(configFile()), { recursive: true, mode: 0o700 });
    const contexts = Object.fromEntries(names.map((name) => [name, { url: server.url, token }]));
    fs.writeFileSync(configFile(), JSON.stringify({ contexts, current: names[0] }), { mode: 0o600 });
  };
  /** People a test works on, made through the API so that only the commands under test cost a process. */
  const addPeople = async (accounts: Array<{ email: string; username?: string; role?: string }>) => {
    const response = await owner.post('/api/v1/people', { accounts });
    expect(response.json().results.map((r: { status: string }) => r.status)).toEqual(accounts.map(() => 'created'));
  };
  const cli = (args: string[], input?: string, env: Record<string, string> = {}) =>
    runRoster(args, { ROSTER_CONFIG: configFile(), ...env }, input);
  const json = <T>(run: { stdout: string; stderr: string; code: number }): T => {
    try {
      return JSON.parse(run.stdout) as T;
    } catch {
      throw new Error(`not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    // A secret key, so that PostgreSQL (which has no key file) can store the TOTP seed of the two-factor test too.
    server = await startRoster({ ROSTER_DATABASE_URL: database.config.url, ...testSecretKeyEnv });
    owner = await logInOverHttp(server.url, 'admin', firstOwnerPassword(server.output()), ownerPassword);
    token = await resetTokenOverHttp(owner, ownerPassword);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  }, slow);
  // Each test has a configuration folder of its own.
  beforeEach(() => {
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-cli-'));
  });
  afterEach(() => {
    fs.rmSync(configDir, { recursive: true, force: true });
  });

  it(
    'connects with the token from stdin, verifies it, and stores it in a 0600 file',
    async () => {
      const connected = await cli(['connect', server.url, '--name', 'test', '--json'], `${token}\n`);
      expect(connected.code, connected.stderr).toBe(0);
      expect(json(connected)).toMatchObject({ context: 'test', username: 'admin', effectiveRole: 'owner' });
      expect(connected.stdout).not.toContain(token);
      expect(fs.statSync(configFile()).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.dirname(configFile())).mode & 0o077).toBe(0);
      expect(JSON.parse(fs.readFileSync(configFile(), 'utf8'))).toEqual({
        contexts: { test: { url: server.url, token } },
        current: 'test',
      });

      // Never from argv: an extra argument is a usage error, and the file is unchanged.
      const inArgv = await cli(['connect', server.url, token]);
      expect(inArgv.code).toBe(2);
      // A wrong token is refused by the server before anything is stored.
      const wrong = await cli(['connect', server.url, '--name', 'wrong'], 'rst_00000000000000000000000000000000000000\n');
      expect(wrong.code).toBe(1);
      expect(JSON.parse(fs.readFileSync(configFile(), 'utf8')).contexts.wrong).toBeUndefined();
    },
    slow,
  );

  it(
    'shows the caller with `me`',
    async () => {
      storeContexts();
      const me = await cli(['me', '--json']);
      expect(me.code, me.stderr).toBe(0);
      expect(json(me)).toMatchObject({
        user: { username: 'admin', role: 'owner' },
        effectiveRole: 'owner',
        token: { prefix: token.slice(0, 8) },
      });
      expect(me.stdout).not.toContain('csrfToken');
      const human = await cli(['me']);
      expect(human.stdout).toMatch(/^Username: +admin$/m);
      expect(human.stdout).toContain(`${token.slice(0, 8)}…`);
    },
    slow,
  );

  it(
    'lists and switches contexts without ever printing a token',
    async () => {
      storeContexts();
      expect((await cli(['connect', server.url, '--name', 'second'], `${token}\n`)).code).toBe(0);
      const list = await cli(['context']);
      expect(list.stdout).toMatch(/^CURRENT +NAME +URL$/m);
      expect(list.stdout).toMatch(/^\* +second /m);
      expect(list.stdout).not.toContain(token);
      const switched = await cli(['context', 'test']);
      expect(switched.code).toBe(0);
      expect(json<{ current: string }>(await cli(['context', '--json'])).current).toBe('test');
      const unknown = await cli(['context', 'nope']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('unknown_context');
    },
    slow,
  );

  it(
    'adds people from a CSV file, one result per row in file order, temporary passwords once',
    async () => {
      storeContexts();
      const csv = path.join(configDir, 'people.csv');
      fs.writeFileSync(
        csv,
        [
          'email,username,role',
          'carol@example.com,,',
          'dave@example.com,dave-ops,admin',
          'not-an-email,,',
          'erin@example.com,,member',
          'frank@example.com,,superuser',
          '',
        ].join('\n'),
      );
      const added = await cli(['people', 'add', '--csv', csv, '--json']);
      // One row failed, so the exit code says so; the others were created anyway.
      expect(added.code, added.stderr).toBe(1);
      const { results } = json<{
        results: Array<{
          email: string;
          status: string;
          user?: { username: string; role: string };
          temporaryPassword?: string;
          error?: { code: string };
        }>;
      }>(added);
      expect(results.map((r) => [r.email, r.status])).toEqual([
        ['carol@example.com', 'created'],
        ['dave@example.com', 'created'],
        ['not-an-email', 'failed'],
        ['erin@example.com', 'created'],
        ['frank@example.com', 'failed'],
      ]);
      expect(results[1]?.user).toMatchObject({ username: 'dave-ops', role: 'admin' });
      expect(results[4]?.error?.code).toBe('invalid_role');
      for (const row of results.filter((r) => r.status === 'created')) expect(row.temporaryPassword).toMatch(/^[0-9A-Z]{20}$/);

      const again = await cli(['people', 'add', 'carol@example.com']);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/^carol@example.com +exists/m);
    },
    slow,
  );

  it(
    'lists people, changes a role, resets a password, exports and removes',
    async () => {
      storeContexts();
      await addPeople([
        { email: 'carla@example.com' },
        { email: 'dora@example.com', username: 'dora-ops', role: 'admin' },
        { email: 'eric@example.com', role: 'member' },
      ]);
      const list = json<{ items: Array<{ username: string; role: string }> }>(await cli(['people', 'list', '--json']));
      expect(list.items.map((p) => p.username)).toEqual(expect.arrayContaining(['admin', 'carla', 'dora-ops', 'eric']));

      const promoted = await cli(['people', 'role', 'carla@example.com', 'admin']);
      expect(promoted.code, promoted.stderr).toBe(0);
      expect(promoted.stdout).toContain('carla is now admin');
      const carla = json<{ items: Array<{ username: string; role: string }> }>(
        await cli(['people', 'list', '--query', 'carla', '--json']),
      ).items;
      expect(carla).toEqual([expect.objectContaining({ username: 'carla', role: 'admin' })]);

      // The CLI identifies itself (User-Agent roster-cli/…), so its changes are audited as `cli`.
      const audit = openDatabase(database.config);
      try {
        const events = await audit.db
          .selectFrom('audit_events')
          .select(['via', 'actor_name'])
          .where('action', '=', 'user.role_changed')
          .execute();
        expect(events).toContainEqual({ via: 'cli', actor_name: 'admin' });
      } finally {
        await audit.destroy();
      }

      const reset = await cli(['people', 'reset-password', 'eric']);
      expect(reset.code, reset.stderr).toBe(0);
      expect(reset.stdout).toMatch(/^Temporary password: [0-9A-Z]{20}$/m);

      const exported = await cli(['people', 'export']);
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout.split('\n')[0]).toMatch(/^username,email,role/);
      expect(exported.stdout).toContain('dora@example.com');

      const removed = await cli(['people', 'remove', 'eric@example.com']);
      expect(removed.code, removed.stderr).toBe(0);
      const missing = await cli(['people', 'role', 'eric', 'member']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('not_found');

      const usage = await cli(['people', 'role', 'carla']);
      expect(usage.code).toBe(2);
      const badRole = await cli(['people', 'role', 'carla', 'emperor']);
      expect(badRole.code).toBe(2);
    },
    slow,
  );

  it(
    'reads roles and works with projects',
    async () => {
      storeContexts();
      await addPeople([{ email: 'pat@example.com', username: 'pat-ops', role: 'admin' }]);
      const roles = json<{ items: Array<{ id: string; permissions: string[] }> }>(await cli(['roles', 'list', '--json']));
      expect(roles.items.map((r) => r.id)).toEqual(expect.arrayContaining(['owner', 'admin', 'member', 'project-contributor']));
      const shown = await cli(['roles', 'show', 'member']);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toContain('organization.projects.create');

      const created = await cli(['projects', 'create', 'cli-project', '--description', 'made by the CLI', '--json']);
      expect(created.code, created.stderr).toBe(0);
      const project = json<{ id: string; ownerId: string }>(created);
      const transferred = await cli(['projects', 'transfer', 'CLI-Project', 'pat-ops']);
      expect(transferred.code, transferred.stderr).toBe(0);
      const listed = json<{ items: Array<{ id: string; owner?: { username: string } }> }>(await cli(['projects', 'list', '--json'])).items;
      expect(listed.find((p) => p.id === project.id)?.owner?.username).toBe('pat-ops');
    },
    slow,
  );

  it(
    'exits with 3 when the server answers 403',
    async () => {
      storeContexts();
      await addPeople([{ email: 'quinn@example.com', username: 'quinn-ops', role: 'admin' }]);
      const added = json<{ results: Array<{ temporaryPassword?: string }> }>(await cli(['people', 'add', 'gina@example.com', '--json']));
      const temporary = added.results[0]?.temporaryPassword ?? '';
      const session = await logInOverHttp(server.url, 'gina', temporary, memberPassword);
      const memberToken = await resetTokenOverHttp(session, memberPassword);
      const memberConfig = path.join(configDir, 'member.json');
      const memberEnv = { ROSTER_CONFIG: memberConfig };
      expect((await runRoster(['connect', server.url, '--name', 'gina'], memberEnv, `${memberToken}\n`)).code).toBe(0);
      const denied = await runRoster(['people', 'role', 'quinn-ops', 'member'], memberEnv);
      expect(denied.code).toBe(3);
      expect(denied.stderr).toContain('(forbidden)');
      const deniedJson = await runRoster(['people', 'list', '--json'], memberEnv);
      expect(deniedJson.code).toBe(3);
      expect(JSON.parse(deniedJson.stderr)).toMatchObject({ error: { code: 'forbidden' } });
    },
    slow,
  );

  it(
    'resets the token: prints it once, updates the context, and an old copy fails with a clear message',
    async () => {
      storeContexts(['test', 'second']);
      const oldCopy = path.join(configDir, 'old-copy.json');
      fs.copyFileSync(configFile(), oldCopy);
      fs.chmodSync(oldCopy, 0o600);

      const wrongPassword = await cli(['token', 'reset'], 'not the password at all\n');
      expect(wrongPassword.code).toBe(3);
      expect(wrongPassword.stderr).toContain('invalid_current_password');

      const reset = await cli(['token', 'reset', '--json'], `${ownerPassword}\n`);
      expect(reset.code, reset.stderr).toBe(0);
      const { token: newToken, updatedContexts } = json<{ token: string; updatedContexts: string[] }>(reset);
      expect(newToken).toMatch(/^rst_[0-9A-Za-z]{38}$/);
      expect(newToken).not.toBe(token);
      expect(updatedContexts.sort()).toEqual(['second', 'test']);
      expect(JSON.parse(fs.readFileSync(configFile(), 'utf8')).contexts.test.token).toBe(newToken);
      expect(fs.statSync(configFile()).mode & 0o777).toBe(0o600);
      expect((await cli(['me'])).code).toBe(0);

      const stale = await runRoster(['me'], { ROSTER_CONFIG: oldCopy });
      expect(stale.code).toBe(1);
      expect(stale.stderr).toContain('The stored token for context test is no longer valid; run roster connect again.');
      token = newToken;
    },
    slow,
  );

  it(
    'resets the token of an account with two-factor authentication with --code, and names --code when it is missing',
    async () => {
      const added = await owner.post('/api/v1/people', { accounts: [{ email: 'tess@example.com', username: 'tess' }] });
      const temporary = (added.json() as { results: Array<{ temporaryPassword: string }> }).results[0]?.temporaryPassword ?? '';
      const session = await logInOverHttp(server.url, 'tess', temporary, memberPassword);
      const tessToken = await resetTokenOverHttp(session, memberPassword);
      const started = await session.post('/api/v1/me/mfa/totp', { currentPassword: memberPassword });
      const { secret } = started.json() as { secret: string };
      const confirmed = await session.post('/api/v1/me/mfa/totp/confirm', { code: totpCode(secret, new Date()) });
      expect(confirmed.statusCode).toBe(200);
      const { recoveryCodes } = confirmed.json() as { recoveryCodes: string[] };
      // An Owner finds who has 2FA: tess, the only one in this file.
      storeContexts();
      const withMfa = json<{ items: Array<{ username: string }> }>(await cli(['people', 'list', '--mfa', 'enabled', '--json']));
      expect(withMfa.items.map((p) => p.username)).toEqual(['tess']);

      fs.mkdirSync(path.dirname(configFile()), { recursive: true, mode: 0o700 });
      fs.writeFileSync(configFile(), JSON.stringify({ contexts: { tess: { url: server.url, token: tessToken } }, current: 'tess' }), {
        mode: 0o600,
      });

      // stdin is not a terminal (it held the password), so the code cannot be asked for.
      const missing = await cli(['token', 'reset'], `${memberPassword}\n`);
      expect(missing.code, missing.stderr).toBe(2);
      expect(missing.stderr).toContain('--code');
      expect(missing.stderr).toContain('(usage)');

      // The next step's code: the one of this step went to the confirmation, and a code is accepted once.
      const reset = await cli(['token', 'reset', '--code', totpCode(secret, new Date(), 1), '--json'], `${memberPassword}\n`);
      expect(reset.code, reset.stderr).toBe(0);
      const { token: newToken } = json<{ token: string }>(reset);
      expect(newToken).toMatch(/^rst_[0-9A-Za-z]{38}$/);
      expect(JSON.parse(fs.readFileSync(configFile(), 'utf8')).contexts.tess.token).toBe(newToken);

      // On a terminal, without --code: the password, then the code (a recovery code here), each at a hidden prompt.
      const terminal = await runRosterInTerminal(['token', 'reset'], { ROSTER_CONFIG: configFile() }, [
        { prompt: /Current password: $/, type: memberPassword },
        { prompt: /Authentication code or recovery code: $/, type: recoveryCodes[0] ?? '' },
      ]);
      expect(terminal.code, terminal.output).toBe(0);
      const shown = /New API token \(shown only once\): (rst_\S+)/.exec(terminal.output)?.[1];
      expect(shown).toMatch(/^rst_[0-9A-Za-z]{38}$/);
      expect(terminal.output).not.toContain(memberPassword);
      expect(terminal.output).not.toContain(recoveryCodes[0]);
      expect(JSON.parse(fs.readFileSync(configFile(), 'utf8')).contexts.tess.token).toBe(shown);
    },
    slow,
  );

  it(
    'refuses to read a config file that other users can read',
    async () => {
      storeContexts();
      fs.chmodSync(configFile(), 0o644);
      try {
        const refused = await cli(['me']);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain('insecure_config');
        expect(refused.stderr).toContain('chmod 600');
        expect(refused.stdout).toBe('');
      } finally {
        fs.chmodSync(configFile(), 0o600);
      }
      expect((await cli(['me'])).code).toBe(0);
    },
    slow,
  );

  it(
    'says how to connect when no context exists, and reports an unreachable server',
    async () => {
      const none = await runRoster(['me'], { ROSTER_CONFIG: path.join(configDir, 'absent', 'config.json') });
      expect(none.code).toBe(1);
      expect(none.stderr).toContain('roster connect');
      const offline = path.join(configDir, 'offline.json');
      fs.writeFileSync(offline, JSON.stringify({ contexts: { gone: { url: 'http://127.0.0.1:9', token } }, current: 'gone' }), {
        mode: 0o600,
      });
      const unreachable = await runRoster(['me'], { ROSTER_CONFIG: offline });
      expect(unreachable.code).toBe(1);
      expect(unreachable.stderr).toContain('connection_failed');
    },
    slow,
  );
});

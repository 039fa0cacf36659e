import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { predefinedRoles } from '../../src/shared/permissions.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases.js';
import { type RunningServer, runRosterAsync as runRoster, startRoster } from '../support/processes.js';
import { type HttpAnswer, logInOverHttp, type SessionClient } from '../support/session.js';
import { firstOwnerPassword, resetTokenOverHttp } from './support.js';

// Every CLI call is a fresh Node process (1–3 s on two busy cores), so the scenario runs each command once.
const slow = 300_000;

const ownerPassword = 'owner password for the access cli tests';

describeEachDatabase('roster CLI: project access, groups, authorize, explain, audit', (dialect) => {
  let database: TestDatabase;
  let server: RunningServer;
  let configDir: string;
  let token: string;
  let session: SessionClient<HttpAnswer>;
  const configFile = () => path.join(configDir, 'roster', 'config.json');
  const cli = (args: string[], input?: string) => runRoster(args, { ROSTER_CONFIG: configFile() }, input);
  const json = <T>(run: { stdout: string; stderr: string; code: number }): T => {
    try {
      return JSON.parse(run.stdout) as T;
    } catch {
      throw new Error(`not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
    }
  };
  /** Setup and checks go straight to the API, so that only the commands under test cost a process each. */
  const api = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown) => {
    const response = await session.request(method, `/api/v1/${url}`, body);
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.statusCode === 204 ? undefined : (response.json() as unknown);
  };

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    server = await startRoster({ ROSTER_DATABASE_URL: database.config.url });
    session = await logInOverHttp(server.url, 'admin', firstOwnerPassword(server.output()), ownerPassword);
    token = await resetTokenOverHttp(session, ownerPassword);
    await api('POST', 'people', { accounts: [{ email: 'dana@example.com', username: 'dana' }] });
    await api('POST', 'projects', { name: 'api', description: 'Public API' });
    // What `roster connect` stores (tested in client-commands.test.ts), written directly to save a process.
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-cli-access-'));
    fs.mkdirSync(path.dirname(configFile()), { mode: 0o700 });
    fs.writeFileSync(configFile(), JSON.stringify({ contexts: { test: { url: server.url, token } }, current: 'test' }), {
      mode: 0o600,
    });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
  }, slow);

  it(
    'gives a group a project role, explains the decision, takes it away, and finds it all in the audit log',
    async () => {
      const created = await cli(['groups', 'create', 'Backend', '--description', 'Server people', '--json']);
      expect(created.code, created.stderr).toBe(0);
      const group = json<{ id: string; name: string; role: null }>(created);
      expect(group).toMatchObject({ name: 'Backend', role: null });

      // Groups by name, case-insensitively; people by username or email.
      const added = await cli(['groups', 'add-member', 'backend', 'dana@example.com', '--json']);
      expect(added.code, added.stderr).toBe(0);
      expect(json(added)).toMatchObject({ group: { id: group.id }, results: [{ username: 'dana', changed: true }] });

      const granted = await cli(['projects', 'access', 'API', 'set', 'group:backend', 'contributor', '--json']);
      expect(granted.code, granted.stderr).toBe(0);
      expect(json(granted)).toMatchObject({ subjectType: 'group', subject: { id: group.id }, role: 'contributor', changed: true });

      const listed = await cli(['projects', 'access', 'api']);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toMatch(/^TYPE +SUBJECT +ROLE +SOURCE$/m);
      expect(listed.stdout).toMatch(/^group +Backend +contributor /m);

      const path = 'group "Backend" → project role Contributor on "api" → project.job.rerun';
      const allowed = await cli(['authorize', 'project.job.rerun', '--project', 'api', '--user', 'dana', '--json']);
      expect(allowed.code, allowed.stderr).toBe(0);
      expect(json(allowed)).toMatchObject({
        allowed: true,
        reason: path,
        permission: 'project.job.rerun',
        project: { name: 'api' },
        user: { username: 'dana' },
      });

      const explained = await cli(['explain', 'project.job.rerun', '--project', 'api', '--user', 'dana']);
      expect(explained.code, explained.stderr).toBe(0);
      expect(explained.stdout).toMatch(/^Decision: +allowed$/m);
      expect(explained.stdout).toContain(`  - ${path}`);

      const removed = await cli(['groups', 'remove-member', 'Backend', 'dana']);
      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.stdout).toContain('Removed dana from "Backend".');

      const refused = await cli(['authorize', 'project.job.rerun', '--project', 'api', '--user', 'dana']);
      expect(refused.code, refused.stderr).toBe(3);
      expect(refused.stdout).toMatch(/^refused: dana has no access to project "api"\.$/m);

      // PATCH and DELETE: rename, give the group an instance role, delete it.
      const renamed = await cli(['groups', 'rename', 'backend', 'Platform', '--json']);
      expect(renamed.code, renamed.stderr).toBe(0);
      expect(json(renamed)).toMatchObject({ id: group.id, name: 'Platform' });
      const role = await cli(['groups', 'role', 'platform', 'member', '--json']);
      expect(role.code, role.stderr).toBe(0);
      expect(json(role)).toMatchObject({ id: group.id, role: 'member' });
      const deleted = await cli(['groups', 'delete', 'Platform']);
      expect(deleted.code, deleted.stderr).toBe(0);
      expect(((await api('GET', 'groups')) as { items: unknown[] }).items).toEqual([]);

      const audit = await cli(['audit', 'list', '--action', 'group.*', '--json']);
      expect(audit.code, audit.stderr).toBe(0);
      const events = json<{ items: Array<{ action: string; via: string; actor: { name: string } }>; nextCursor: null }>(audit);
      // Newest first.
      expect(events.items.map((e) => e.action)).toEqual([
        'group.deleted',
        'group.updated',
        'group.updated',
        'group.member_removed',
        'group.member_added',
        'group.created',
      ]);
      expect(events.items.every((e) => e.via === 'cli' && e.actor.name === 'admin')).toBe(true);
      expect(events.nextCursor).toBeNull();

      const exported = await cli(['audit', 'export', '--format', 'csv', '--action', 'project.*']);
      expect(exported.code, exported.stderr).toBe(0);
      const lines = exported.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^at,seq,id,actor_type,actor_id,actor_name,via,action,target_type,target_id,target_name,outcome,/);
      expect(lines.slice(1).map((line) => line.split(',')[7])).toEqual(['project.access_changed', 'project.created']);
    },
    slow,
  );

  it(
    'lists the roles of the catalogue, then revokes the token and forgets its context',
    async () => {
      const roles = await cli(['roles', 'list', '--json']);
      expect(roles.code, roles.stderr).toBe(0);
      const items = json<{ items: Array<{ id: string; permissions: string[] }> }>(roles).items;
      expect(items.map((r) => ({ id: r.id, permissions: r.permissions }))).toEqual(
        predefinedRoles.map((r) => ({ id: r.id, permissions: [...r.permissions] })),
      );

      const revoked = await cli(['token', 'revoke', '--json'], `${ownerPassword}\n`);
      expect(revoked.code, revoked.stderr).toBe(0);
      expect(json(revoked)).toEqual({ revoked: true, removedContexts: ['test'] });
      expect(JSON.parse(fs.readFileSync(configFile(), 'utf8'))).toEqual({ contexts: {}, current: null });
      expect(fs.statSync(configFile()).mode & 0o777).toBe(0o600);
      const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(401);
    },
    slow,
  );
});

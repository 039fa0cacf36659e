import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { type RunningServer, repoRoot, startRoster } from '../support/processes.js';
import { logInOverHttp } from '../support/session.js';

/**
 * docs/api-clients.md#worked-example-typescript-with-plain-fetch — the documented example works as written: types
 * generated from a running server's document with openapi-typescript, the example (taken from the doc itself) compiled
 * with tsc --strict, and run against that server with a real token. SQLite only: the client does not see the database.
 */
describe('the API client example of docs/api-clients.md', () => {
  let database: TestDatabase;
  let server: RunningServer;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-client-'));
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    server = await startRoster({ ROSTER_DATABASE_URL: database.config.url });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('generates, compiles and lists the Owners of a running server', async () => {
    const doc = fs.readFileSync(path.join(repoRoot, 'docs/api-clients.md'), 'utf8');
    const example = /```ts\n(\/\/ list-owners\.ts[\s\S]*?)```/.exec(doc)?.[1];
    expect(example, 'the example in docs/api-clients.md').toBeDefined();
    fs.writeFileSync(path.join(dir, 'list-owners.ts'), example ?? '');
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          types: ['node'],
          typeRoots: [path.join(repoRoot, 'node_modules/@types')],
          lib: ['ES2022', 'DOM'],
        },
        files: ['list-owners.ts', 'roster-api.d.ts'],
      }),
    );
    const bin = (name: string) => path.join(repoRoot, 'node_modules/.bin', name);
    // Step 1 of the doc: the types from the running server's document.
    execFileSync(bin('openapi-typescript'), [`${server.url}/api/v1/openapi.json`, '-o', path.join(dir, 'roster-api.d.ts')], {
      stdio: 'pipe',
    });
    // Step 2: compile the example as written.
    execFileSync(bin('tsc'), ['-p', path.join(dir, 'tsconfig.json')], { stdio: 'pipe' });

    // Step 3: run it with a real token of the first Owner.
    const temporary = /^Temporary password: (\S+)$/m.exec(server.output())?.[1] ?? '';
    const newPassword = 'a long and new password for the example';
    const session = await logInOverHttp(server.url, 'admin', temporary, newPassword);
    const reset = await session.post('/api/v1/me/token', { currentPassword: newPassword });
    expect(reset.statusCode).toBe(200);
    const token = (reset.json() as { token: string }).token;
    const output = execFileSync(process.execPath, [path.join(dir, 'list-owners.js')], {
      env: { ...process.env, ROSTER_URL: server.url, ROSTER_TOKEN: token },
      encoding: 'utf8',
    });
    expect(output.trim()).toBe('admin <admin@localhost> owner');

    // A refused call comes back as the problem's code and detail.
    const refused = (() => {
      try {
        execFileSync(process.execPath, [path.join(dir, 'list-owners.js')], {
          env: { ...process.env, ROSTER_URL: server.url, ROSTER_TOKEN: 'rst_invalid' },
          encoding: 'utf8',
          stdio: 'pipe',
        });
        return '';
      } catch (error) {
        return String((error as { stderr?: string }).stderr);
      }
    })();
    expect(refused).toContain('invalid_token:');
  }, 120_000);
});

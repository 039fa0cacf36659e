import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAdminUrl, type TestDatabase } from '../support/databases.js';
import { freePort, type RunningServer, startRoster } from '../support/processes.js';

/**
 * The reverse-proxy layout of docs/deployment.md, for real: nginx in front of two Roster nodes on one PostgreSQL
 * database, with the `upstream`/`location` block from that document. Shows that requests are spread over both nodes
 * and that the client IP recorded in the audit log is the one nginx saw (X-Forwarded-For from a trusted proxy), while
 * an X-Forwarded-For sent by anyone else, or forged by the client, is ignored.
 */
const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((file) => fs.existsSync(file));
const skipReason = !postgresAdminUrl ? 'skipped: set ROSTER_TEST_DATABASE_URL' : !nginx ? 'skipped: nginx is not installed' : null;
if (skipReason) console.warn(`nginx proxy: ${skipReason}`);

/** curl from a chosen loopback address (Linux routes all of 127/8 to lo), so the proxy sees a distinct client IP. */
function curl(from: string, url: string, extra: string[] = []): { status: number; headers: string } {
  const result = spawnSync('curl', ['-s', '-D', '-', '-o', '/dev/null', '--interface', from, ...extra, url], { encoding: 'utf8' });
  const status = Number(/^HTTP\/[\d.]+ (\d{3})/m.exec(result.stdout)?.[1] ?? 0);
  return { status, headers: result.stdout };
}

describe.skipIf(skipReason !== null)('nginx in front of two nodes (docs/deployment.md)', () => {
  let database: TestDatabase;
  let nodes: RunningServer[] = [];
  let proxy: ChildProcess | null = null;
  let dir = '';
  let proxyUrl = '';
  let nodeAddresses: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const port = await freePort();
    proxyUrl = `http://127.0.0.1:${port}`;
    // As docs/deployment.md says: the nodes know the address people open (the proxy's), for the same-origin check.
    const env = { ROSTER_DATABASE_URL: database.config.url, ROSTER_TRUSTED_PROXIES: '127.0.0.1', ROSTER_PUBLIC_URL: proxyUrl };
    nodes = [await startRoster(env), await startRoster(env)];
    // With a public URL set, a node prints that on its `Open:` line; where it listens is on the line before.
    nodeAddresses = nodes.map((node) => {
      const match = /listening on (\S+) /.exec(node.output());
      if (!match?.[1]) throw new Error(`no listening line:\n${node.output()}`);
      return match[1];
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-nginx-'));
    // The proxy block of docs/deployment.md; TLS left out (a test certificate adds nothing here), plus a header that
    // names the node that answered, so the test can see both nodes serve.
    const upstreams = nodeAddresses.map((address) => `    server ${address} max_fails=3 fail_timeout=10s;`).join('\n');
    fs.writeFileSync(
      path.join(dir, 'nginx.conf'),
      `pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream roster {
${upstreams}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 2m;
    location / {
      proxy_pass http://roster;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout http_502 http_503;
      add_header X-Test-Upstream $upstream_addr always;
    }
  }
}
`,
    );
    proxy = spawn(nginx as string, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
    for (let i = 0; i < 50 && curl('127.0.0.1', `${proxyUrl}/healthz`).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
  }, 120_000);

  afterAll(async () => {
    proxy?.kill('SIGTERM');
    await Promise.all(nodes.map((node) => node.stop()));
    await database?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  async function loginFailureIps(): Promise<string[]> {
    const client = new pg.Client({ connectionString: database.config.url });
    await client.connect();
    try {
      const result = await client.query("SELECT ip FROM audit_events WHERE action = 'auth.login_failed' ORDER BY seq");
      return result.rows.map((row: { ip: string }) => row.ip);
    } finally {
      await client.end();
    }
  }

  it('spreads requests over both nodes and answers /healthz and /readyz through the proxy', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const answer = curl('127.0.0.1', `${proxyUrl}/readyz`);
      expect(answer.status).toBe(200);
      seen.add(/^x-test-upstream: (\S+)/im.exec(answer.headers)?.[1] ?? '');
    }
    expect(seen).toEqual(new Set(nodeAddresses));
  });

  it('records the client address nginx saw, not one the client forged', async () => {
    const body = JSON.stringify({ login: 'nobody', password: 'not the password at all' });
    const login = ['-X', 'POST', '-H', 'content-type: application/json', '--data', body];
    // Through the proxy from 127.0.0.2, with a forged header: nginx replaces it with the address it saw.
    expect(curl('127.0.0.2', `${proxyUrl}/api/v1/auth/login`, [...login, '-H', 'X-Forwarded-For: 203.0.113.7']).status).toBe(401);
    // Straight to a node from 127.0.0.3 (not a trusted proxy): its X-Forwarded-For is ignored.
    expect(curl('127.0.0.3', `http://${nodeAddresses[0]}/api/v1/auth/login`, [...login, '-H', 'X-Forwarded-For: 203.0.113.8']).status).toBe(
      401,
    );
    expect(await loginFailureIps()).toEqual(['127.0.0.2', '127.0.0.3']);
  });

  it("passes the console's same-origin writes through the proxy, and refuses an Origin that only matches a forged Host", async () => {
    const body = JSON.stringify({ login: 'nobody', password: 'not the password at all' });
    const login = ['-X', 'POST', '-H', 'content-type: application/json', '--data', body];
    const browser = ['-H', `Origin: ${proxyUrl}`, '-H', 'Sec-Fetch-Site: same-origin'];
    // A browser on the public URL: the login is judged on its password (401), not refused as cross-site (403).
    expect(curl('127.0.0.4', `${proxyUrl}/api/v1/auth/login`, [...login, ...browser]).status).toBe(401);
    // A page on another name that resolves to the proxy (DNS rebinding): Origin and Host agree, yet it is not us.
    const rebound = ['-H', 'Host: rebound.example', '-H', 'Origin: http://rebound.example', '-H', 'Sec-Fetch-Site: same-origin'];
    expect(curl('127.0.0.4', `${proxyUrl}/api/v1/auth/login`, [...login, ...rebound]).status).toBe(403);
    expect(curl('127.0.0.4', `${proxyUrl}/api/v1/auth/login`, [...login, '-H', 'Origin: http://evil.example']).status).toBe(403);
  });
});

if (skipReason) {
  describe('nginx in front of two nodes (docs/deployment.md)', () => {
    it.skip(skipReason, () => undefined);
  });
}

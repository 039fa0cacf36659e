import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.js';
import { minimalWebRoot } from './support/actors.js';

/**
 * docs/product/security-settings.md#input: paths that try to climb out of a static folder (the API docs UI's files, the
 * console's files) are a client error — never a 500, never a stack trace in the log. Sent over a real socket:
 * `app.inject` normalises `..` before the server sees it, a real client does not have to.
 */
describe('static files', () => {
  const webRoot = minimalWebRoot();
  fs.mkdirSync(path.join(webRoot, 'assets'));
  fs.writeFileSync(path.join(webRoot, 'assets', 'app.js'), 'console.log(1);');
  const t = useTestApp('sqlite', { webRoot });
  let port = 0;
  beforeAll(async () => {
    await t().app.listen({ host: '127.0.0.1', port: 0 });
    port = (t().app.server.address() as AddressInfo).port;
  });

  function rawGet(path: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const request = http.request({ host: '127.0.0.1', port, method: 'GET', path }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      request.on('error', reject);
      request.end();
    });
  }

  const climbing = [
    '/api/docs/static/../x',
    '/api/docs/static/%2e%2e/x',
    '/api/docs/static/..',
    '/api/docs/static/.',
    '/api/docs/static/../../../../etc/passwd',
    '/api/docs/static/..%2f..%2fpackage.json',
    '/api/docs/static/%2e%2e%2f%2e%2e%2fpackage.json',
    '/api/docs/static/%c0%ae%c0%ae/x',
    '/api/docs/static/x%00.js',
    '/api/docs/static/%',
    '/assets/../package.json',
    '/assets/%2e%2e/package.json',
    '/assets/..',
    '/assets/x%00.js',
    '/assets/%',
    '/../package.json',
    '/%2e%2e/package.json',
    '/..%2fpackage.json',
    '/index.html/..',
    '/%00',
  ];

  it.each(climbing)('answers GET %s with a 4xx or the console page, and logs no stack', async (url) => {
    const before = t().logs.length;
    const response = await rawGet(url);
    const logged = t().logs.slice(before).join('');
    // The console's own fallback (index.html for a console address) is fine; what it must never be is a file from
    // outside the folder, or a server error.
    expect(response.status === 200 ? response.body : response.status, url).toSatisfy(
      (value: unknown) =>
        value === '<!doctype html><title>Roster</title><div id="root"></div>' || (typeof value === 'number' && value < 500 && value >= 400),
    );
    expect(response.body).not.toContain('"name"'); // no package.json
    expect(response.body).not.toContain('root:');
    expect(logged).not.toMatch(/"level":50|stack|at \//);
  });

  it('still serves the docs UI files and the console files', async () => {
    expect((await rawGet('/api/docs/static/swagger-ui.css')).status).toBe(200);
    expect((await rawGet('/assets/app.js')).status).toBe(200);
    expect((await rawGet('/assets/../assets/app.js')).status).toBeLessThan(500);
  });
});

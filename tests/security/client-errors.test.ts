import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.js';

/**
 * docs/product/security-settings.md#sessions-and-browser-security: security headers on every response — also on the
 * answers Node's HTTP parser makes before Fastify sees a request (headers too large → 431, a request that is not HTTP →
 * 400). Sent over a raw socket, since `app.inject` never reaches the parser.
 */
describe('client errors answered below Fastify', () => {
  const t = useTestApp('sqlite', { env: { ROSTER_PUBLIC_URL: 'https://roster.example' } });
  let port = 0;
  beforeAll(async () => {
    await t().app.listen({ host: '127.0.0.1', port: 0 });
    port = (t().app.server.address() as AddressInfo).port;
  });

  /** Writes `raw` and reads until the server closes the connection. */
  function exchange(raw: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      let data = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        data += chunk;
      });
      socket.on('error', () => undefined); // the server may reset after answering
      socket.on('close', () => {
        const [head = '', body = ''] = data.split('\r\n\r\n');
        const [statusLine = '', ...lines] = head.split('\r\n');
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0);
        if (status === 0) return reject(new Error(`no HTTP answer: ${JSON.stringify(data.slice(0, 200))}`));
        const headers = Object.fromEntries(
          lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
        );
        resolve({ status, headers, body });
      });
      socket.write(raw);
    });
  }

  const expectSecurityHeaders = (headers: Record<string, string>) => {
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers['strict-transport-security']).toContain('max-age=');
    expect(headers['cache-control']).toBe('no-store');
  };

  it('answers request headers that are too large with 431, the security headers and a problem body', async () => {
    const answer = await exchange(`GET /api/v1/me HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`);
    expect(answer.status).toBe(431);
    expectSecurityHeaders(answer.headers);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 431, code: 'headers_too_large' });
  });

  it('answers something that is not HTTP with 400 and the security headers', async () => {
    const answer = await exchange('HELLO THERE\r\n\r\n');
    expect(answer.status).toBe(400);
    expectSecurityHeaders(answer.headers);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('still answers a good request normally on the same server', async () => {
    const answer = await exchange('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    expect(answer.status).toBe(200);
    expectSecurityHeaders({ ...answer.headers, 'cache-control': 'no-store' });
  });
});

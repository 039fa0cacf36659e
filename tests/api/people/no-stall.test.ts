import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, expect, it } from 'vitest';
import { seedPeople } from '../../../src/domain/people/seed-people.js';
import { describeEachDatabase } from '../../support/databases.js';
import { buildApiToken } from '../../support/factories.js';
import { useTestApp } from '../../support/test-app.js';

/**
 * docs/product/security-settings.md#bounded-work: while People exports and searches run, `GET /healthz` keeps
 * answering. Over a real listening server (the client shares the server's event loop, so a server that never yields
 * cannot even read the next request), the order of answers shows it without a clock: a health check sent while an
 * export is streaming, or behind a burst of substring searches, is answered before they are done. On SQLite every read
 * is synchronous, so an export or search that does not yield between bounded slices (or hand its work to another
 * thread) answers everything else last.
 */
const people = 4000;

interface Call {
  done: Promise<{ status: number; body: string }>;
  /** Resolves on the first chunk of the body. */
  firstChunk: Promise<void>;
}

function call(origin: string, path: string, token?: string): Call {
  let chunkSeen: () => void = () => undefined;
  const firstChunk = new Promise<void>((resolve) => {
    chunkSeen = resolve;
  });
  const done = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.get(`${origin}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        chunkSeen();
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
  return { done, firstChunk };
}

// docs/product/security-settings.md#bounded-work
describeEachDatabase('no People request stalls the server', (dialect) => {
  const t = useTestApp(dialect);
  let origin = '';
  let token = '';

  beforeAll(async () => {
    await seedPeople(t().cliContext(), { count: people });
    token = await buildApiToken(t(), t().owner.user);
    await t().app.listen({ host: '127.0.0.1', port: 0 });
    origin = `http://127.0.0.1:${(t().app.server.address() as AddressInfo).port}`;
  }, 120_000);

  it('answers /healthz while a People export is still streaming', async () => {
    const order: string[] = [];
    const exported = call(origin, '/api/v1/people/export', token);
    const exportDone = exported.done.then((result) => {
      order.push('export');
      return result;
    });
    await exported.firstChunk;
    const health = call(origin, '/healthz').done.then((result) => {
      order.push('healthz');
      return result;
    });
    const [csv, healthz] = await Promise.all([exportDone, health]);
    expect(healthz.status).toBe(200);
    expect(csv.status).toBe(200);
    // Every active person, once: the header, the Owner and the seeded people.
    expect(csv.body.trimEnd().split('\n')).toHaveLength(1 + 1 + people);
    expect(order).toEqual(['healthz', 'export']);
  });

  it('answers /healthz sent behind a burst of substring searches before the last of them', async () => {
    const order: string[] = [];
    // Three or more characters: substring matching, through the trigram index, over most of the seeded people.
    const terms = ['exa', 'mple', 'son', 'ana', 'ez.', 'an.', 'in.', 'er.'];
    const searches = Array.from({ length: 40 }, (_, i) =>
      call(origin, `/api/v1/people?limit=50&query=${encodeURIComponent(terms[i % terms.length] as string)}`, token).done.then((result) => {
        order.push('search');
        return result;
      }),
    );
    const health = call(origin, '/healthz').done.then((result) => {
      order.push('healthz');
      return result;
    });
    const [healthz, ...answers] = await Promise.all([health, ...searches]);
    expect(healthz.status).toBe(200);
    for (const answer of answers) expect(answer.status, answer.body).toBe(200);
    expect(order.at(-1)).toBe('search');
  });
});

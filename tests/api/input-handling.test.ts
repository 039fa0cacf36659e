import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { loginAs } from '../support/session.js';
import { allLogs, useTestApp } from '../support/test-app.js';

describeEachDatabase('request bodies and errors', (dialect) => {
  const t = useTestApp(dialect);
  const auditCount = async () =>
    Number(
      (
        await t()
          .services.database.db.selectFrom('audit_events')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  async function expectNoChange(
    run: () => Promise<{ statusCode: number; headers: Record<string, unknown>; json(): unknown }>,
    status: number,
    code: string,
  ) {
    const before = await auditCount();
    const response = await run();
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status, code });
    expect(await auditCount()).toBe(before);
  }

  it('rejects unknown JSON fields with 400 validation_failed naming the field', async () => {
    const response = await t().app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login: 'x', password: 'y', role: 'owner' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'validation_failed', errors: [{ message: 'Unknown field "role".' }] });
  });

  it('rejects malformed JSON, wrong content types and oversized bodies without changing anything', async () => {
    const client = await loginAs(t().app, t().owner.user.username, t().owner.password);
    const headers = { cookie: client.cookie, 'x-csrf-token': client.csrfToken };
    const url = '/api/v1/auth/password';
    await expectNoChange(
      () =>
        t().app.inject({
          method: 'POST',
          url,
          headers: { ...headers, 'content-type': 'application/json' },
          payload: '{"currentPassword": ',
        }),
      400,
      'invalid_json',
    );
    await expectNoChange(
      () => t().app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'text/plain' }, payload: 'hello' }),
      415,
      'unsupported_media_type',
    );
    await expectNoChange(
      () =>
        t().app.inject({
          method: 'POST',
          url,
          headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'a=b',
        }),
      415,
      'unsupported_media_type',
    );
    const huge = JSON.stringify({ currentPassword: 'x'.repeat(100 * 1024), newPassword: 'y' });
    await expectNoChange(
      () => t().app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload: huge }),
      413,
      'payload_too_large',
    );
    await expectNoChange(
      () =>
        t().app.inject({
          method: 'POST',
          url,
          headers: { ...headers, 'content-type': 'application/json' },
          payload: '{"currentPassword":"a","newPassword":"b","__proto__":{"admin":true}}',
        }),
      400,
      'invalid_json',
    );
    expect((await client.get('/api/v1/me')).statusCode).toBe(200);
  });

  it('answers unknown API routes with a problem+json 404', async () => {
    const client = await loginAs(t().app, t().owner.user.username, t().owner.password);
    const response = await client.get('/api/v1/nothing-here');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'not_found', status: 404 });
  });

  it('never writes passwords, cookies or CSRF tokens to the logs', async () => {
    const client = await loginAs(t().app, t().owner.user.username, t().owner.password);
    await client.post('/api/v1/auth/password', { currentPassword: 'wrong current password', newPassword: 'another long password 1' });
    const logs = allLogs(t());
    expect(logs).toContain('/api/v1/auth/login');
    expect(logs).not.toContain(t().owner.password);
    expect(logs).not.toContain(client.cookie.split('=')[1]);
    expect(logs).not.toContain(client.csrfToken);
    expect(logs).not.toContain('another long password 1');
  });

  it('publishes an OpenAPI 3.1 document generated from the route schemas', async () => {
    const response = await t().app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json() as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/auth/password', '/api/v1/me']));
    expect(doc.paths['/api/v1/auth/login']?.post?.requestBody).toBeTruthy();
    const docs = await t().app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('serves health, readiness and Prometheus metrics', async () => {
    expect((await t().app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t().app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
    const metrics = await t().app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('roster_http_request_duration_seconds');
    expect(metrics.body).toContain('roster_nodejs_eventloop_lag');
    expect(metrics.body).toContain('roster_password_hash_queue');
  });
});

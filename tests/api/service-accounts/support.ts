import type { InjectOptions } from 'fastify';
import type { TestApp } from '../../support/test-app.js';

export { caller } from '../people/support.js';

/** Requests with a bearer token (a person's `rst_` or a service account's `rss_`). */
export function withToken(t: TestApp, token: string) {
  return (method: InjectOptions['method'], url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
}

type Call = ReturnType<typeof withToken>;

let counter = 0;

/** A fresh unique service-account name. */
export function saName(base = 'ci-bot'): string {
  counter++;
  return `${base}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Creates a service account through the API; returns its id, name and token (throws unless 201). */
export async function createServiceAccount(
  call: Call,
  body: { name?: string; role?: 'admin' | 'member'; description?: string; expiresInDays?: 30 | 90 | 365 | null } = {},
) {
  const name = body.name ?? saName();
  const response = await call('POST', '/api/v1/service-accounts', { role: 'member', ...body, name });
  if (response.statusCode !== 201) throw new Error(`create failed: ${response.statusCode} ${response.body}`);
  const json = response.json() as { serviceAccount: { id: string; name: string }; token: string };
  return { id: json.serviceAccount.id, name: json.serviceAccount.name, token: json.token, body: response.json() };
}

/** The audit events about `targetId` (optionally one action), oldest first, with their actor. */
export async function auditEventsAbout(t: TestApp, targetId: string, action?: string) {
  let query = t.services.database.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'details', 'target_name', 'target_type', 'actor_type', 'actor_id', 'actor_name'])
    .where('target_id', '=', targetId);
  if (action) query = query.where('action', '=', action);
  return query.orderBy('seq').execute();
}

import type { InjectOptions } from 'fastify';
import { buildAdmin, buildApiToken, buildMember, buildOwner } from '../../support/factories.js';
import type { TestApp } from '../../support/test-app.js';

/** A caller with a personal API token (no password hashing per request, no CSRF). */
export async function caller(t: TestApp, role: 'owner' | 'admin' | 'member' = 'owner') {
  const person = role === 'owner' ? await buildOwner(t) : role === 'admin' ? await buildAdmin(t) : await buildMember(t);
  const token = await buildApiToken(t, person.user);
  const call = (method: InjectOptions['method'], url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  return { ...person, token, call };
}

/** The audit events about `targetId` (optionally one action), oldest first. */
export async function auditEvents(t: TestApp, targetId: string, action?: string) {
  let query = t.services.database.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'details', 'target_name'])
    .where('target_id', '=', targetId);
  if (action) query = query.where('action', '=', action);
  return query.orderBy('seq').execute();
}

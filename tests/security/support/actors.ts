import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { OrganizationRole } from '../../../src/shared/permissions.js';
import { buildApiToken, buildUser, type TestUser } from '../../support/factories.js';
import { enableTotp, passwordStep } from '../../support/mfa.js';
import { loginAs } from '../../support/session.js';
import type { TestApp } from '../../support/test-app.js';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who sends a request in the security suites: nobody, a bearer token of a Member/Admin/Owner, a browser session of
 * an account that must change its password
 * (docs/product/roles-and-permissions.md#no-permissions-without-a-usable-account: it may only change the password, log
 * out and read /me), the pending-login cookie of an account with 2FA whose password was right but whose second factor
 * was not sent (`pending`: it must get exactly what nobody gets, docs/product/security-settings.md#two-factor-authentication),
 * and a browser session of a Member whom the 2FA policy requires to set 2FA up, past the grace period (`mfaSetup`).
 */
export type ActorKind = 'anonymous' | 'member' | 'admin' | 'owner' | 'restricted' | 'pending' | 'mfaSetup';
export const actorKinds: readonly ActorKind[] = ['anonymous', 'member', 'admin', 'owner', 'restricted', 'pending', 'mfaSetup'];

export interface Actor {
  kind: ActorKind;
  user: TestUser | null;
  /** The credential headers this actor sends (bearer token, or cookie + CSRF token). */
  headers: Record<string, string>;
  send(method: Method, url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

/** Sends one request with `headers`; a body is sent as JSON. */
export function sendAs(t: TestApp, headers: Record<string, string>, method: Method, url: string, body?: unknown) {
  const options: InjectOptions = { method, url, headers: { ...headers } };
  if (body !== undefined) options.payload = body as InjectOptions['payload'];
  return t.app.inject(options);
}

/** A fresh actor of `kind` (a new account each time, so that destructive cells never disturb each other). */
export async function buildActor(t: TestApp, kind: ActorKind): Promise<Actor> {
  let user: TestUser | null = null;
  let headers: Record<string, string> = {};
  if (kind === 'restricted') {
    user = await buildUser(t, { role: 'member', mustChangePassword: true });
    const client = await loginAs(t.app, user.user.username, user.password);
    headers = { cookie: client.cookie, 'x-csrf-token': client.csrfToken };
  } else if (kind === 'pending') {
    user = await enableTotp(t, await buildUser(t, { role: 'owner' }));
    const { answer, pending } = await passwordStep(t, user);
    if (!answer.json().secondFactorRequired || !pending) throw new Error(`no pending login: ${answer.body}`);
    headers = { cookie: pending };
  } else if (kind === 'mfaSetup') {
    user = await buildUser(t, { role: 'member' });
    await requireMfaOfLongStanding(t, user);
    const client = await loginAs(t.app, user.user.username, user.password);
    headers = { cookie: client.cookie, 'x-csrf-token': client.csrfToken };
  } else if (kind !== 'anonymous') {
    user = await buildUser(t, { role: kind as OrganizationRole });
    headers = { authorization: `Bearer ${await buildApiToken(t, user.user)}` };
  }
  return { kind, user, headers, send: (method, url, body) => sendAs(t, headers, method, url, body) };
}

/**
 * The 2FA policy requires 2FA of everyone, and for `user` the grace period is long over: the policy and the account
 * date from 60 days ago. Accounts made now are still inside their 7 days, so other actors are not affected.
 */
async function requireMfaOfLongStanding(t: TestApp, user: TestUser): Promise<void> {
  const longAgo = new Date(t.services.now().getTime() - 60 * 86_400_000).toISOString();
  const db = t.services.database.db;
  await db.updateTable('security_settings').set({ mfa_policy: 'everyone', mfa_grace_days: 7, mfa_policy_changed_at: longAgo }).execute();
  await db.updateTable('users').set({ created_at: longAgo }).where('id', '=', user.user.id).execute();
}

/** A browser session (cookie + CSRF token headers) for an existing account. */
export async function sessionHeaders(t: TestApp, user: TestUser): Promise<Record<string, string>> {
  const client = await loginAs(t.app, user.user.username, user.password);
  return { cookie: client.cookie, 'x-csrf-token': client.csrfToken };
}

/** A minimal built console (one index.html), so the static routes are the same on every machine. */
export function minimalWebRoot(): string {
  const webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-web-'));
  fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Roster</title><div id="root"></div>');
  return webRoot;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, unknown> };
}

export interface OpenApiOperation {
  parameters?: Array<{ in: 'path' | 'query' | 'header' | 'cookie'; name: string; required?: boolean; schema: unknown }>;
  requestBody?: { required?: boolean; content: Record<string, { schema: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema: unknown }>; description?: string }>;
}

export const documentedMethods = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** The OpenAPI document as served. */
export async function fetchOpenApi(t: TestApp): Promise<OpenApiDocument> {
  const response = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
  if (response.statusCode !== 200) throw new Error(`openapi.json: ${response.statusCode}`);
  return response.json() as OpenApiDocument;
}

/** `METHOD /path/:param` for every documented operation. */
export function documentedRoutes(doc: OpenApiDocument): string[] {
  return Object.entries(doc.paths).flatMap(([route, operations]) =>
    Object.keys(operations)
      .filter((method) => (documentedMethods as readonly string[]).includes(method))
      .map((method) => `${method.toUpperCase()} ${toColonPath(route)}`),
  );
}

export const toColonPath = (route: string) => route.replace(/\{(\w+)\}/g, ':$1');

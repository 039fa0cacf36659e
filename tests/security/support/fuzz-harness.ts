import { randomUUID } from 'node:crypto';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { LightMyRequestResponse } from 'fastify';
import { publicSessionId } from '../../../src/domain/profile/list-own-sessions.js';
import { createSession } from '../../../src/domain/sessions/create-session.js';
import { errorCatalogue } from '../../../src/shared/errors.js';
import { buildApiToken, buildMember, buildOwner, buildProject, type TestUser } from '../../support/factories.js';
import type { TestApp } from '../../support/test-app.js';
import type { Method, OpenApiDocument, OpenApiOperation } from './actors.js';
import type { JsonSchema } from './schema-arbitrary.js';

export type AuthMode = 'session' | 'bearer';

/** One operation of the OpenAPI document, with its request schemas gathered in the shape the fuzzer needs. */
export interface FuzzOperation {
  key: string;
  method: Exclude<Method, 'HEAD'>;
  path: string;
  pathParams: JsonSchema | null;
  query: JsonSchema | null;
  body: JsonSchema | null;
  bodyRequired: boolean;
  responses: Record<string, { contentTypes: string[]; schema: JsonSchema | null }>;
}

/** Inlines `#/components/schemas/…` references (the document has no recursive schemas). */
function resolveRefs(value: unknown, doc: OpenApiDocument): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, doc));
  if (!value || typeof value !== 'object') return value;
  const ref = (value as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`unresolvable $ref ${ref}`);
    return resolveRefs(target, doc);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, doc)]));
}

function parametersAsObject(operation: OpenApiOperation, location: 'path' | 'query'): JsonSchema | null {
  const parameters = (operation.parameters ?? []).filter((p) => p.in === location);
  if (parameters.length === 0) return null;
  return {
    type: 'object',
    properties: Object.fromEntries(parameters.map((p) => [p.name, p.schema as JsonSchema])),
    required: parameters.filter((p) => p.required || location === 'path').map((p) => p.name),
    // The server's query and params schemas are strict: unknown query parameters are an error.
    additionalProperties: false,
  };
}

export function operationsOf(doc: OpenApiDocument): FuzzOperation[] {
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, raw]): FuzzOperation => {
        const operation = resolveRefs(raw, doc) as OpenApiOperation;
        const bodyContent = operation.requestBody?.content?.['application/json'];
        return {
          key: `${method.toUpperCase()} ${path}`,
          method: method.toUpperCase() as FuzzOperation['method'],
          path,
          pathParams: parametersAsObject(operation, 'path'),
          query: parametersAsObject(operation, 'query'),
          body: (bodyContent?.schema as JsonSchema | undefined) ?? null,
          bodyRequired: operation.requestBody?.required ?? false,
          responses: Object.fromEntries(
            Object.entries(operation.responses ?? {}).map(([status, response]) => {
              const content = response.content ?? {};
              const first = Object.values(content)[0];
              return [status, { contentTypes: Object.keys(content), schema: (first?.schema as JsonSchema | undefined) ?? null }];
            }),
          ),
        };
      }),
  );
}

// ---- Request validity, judged exactly like the server does (strict bodies, coerced query strings and params) ----

const base = { strict: false, allErrors: true, useDefaults: false, removeAdditional: false } as const;
const strictAjv = addFormats.default(new Ajv.default({ ...base, coerceTypes: false }));
const coercingAjv = addFormats.default(new Ajv.default({ ...base, coerceTypes: 'array' }));
const responseAjv = addFormats.default(new Ajv.default({ strict: false, allErrors: true }));
const compiled = new WeakMap<object, ValidateFunction>();

function validator(ajv: Ajv.default, schema: JsonSchema): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = ajv.compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

/** Whether the server's validator would accept `value` for `schema` (a deep copy: coercion mutates). */
export function acceptedBy(schema: JsonSchema, value: unknown, coerce: boolean): boolean {
  const copy = value === undefined ? undefined : structuredClone(value);
  return validator(coerce ? coercingAjv : strictAjv, schema)(copy) as boolean;
}

const responseValidators = new Map<string, ValidateFunction>();
export function validateResponse(operation: FuzzOperation, status: string, body: unknown): string | null {
  const schema = operation.responses[status]?.schema;
  if (!schema) return null;
  const key = `${operation.key} ${status}`;
  let fn = responseValidators.get(key);
  if (!fn) {
    fn = responseAjv.compile(schema);
    responseValidators.set(key, fn);
  }
  return fn(body) ? null : responseAjv.errorsText(fn.errors);
}

// ---- The caller: an Owner by session (cookie + CSRF header) or by bearer token, rebuilt when a request ends it ----

export class FuzzActor {
  user!: TestUser;
  headers: Record<string, string> = {};
  rebuilt = 0;

  constructor(
    private readonly t: TestApp,
    readonly mode: AuthMode,
  ) {}

  async build(): Promise<void> {
    this.user = await buildOwner(this.t);
    if (this.mode === 'bearer') {
      this.headers = { authorization: `Bearer ${await buildApiToken(this.t, this.user.user)}` };
    } else {
      // Straight into the sessions table: no password hashing, no login throttle in the way.
      const session = await createSession(this.t.cliContext(), this.t.services.database.db, this.user.user.id, false);
      this.headers = { cookie: `roster_session=${session.rawId}`, 'x-csrf-token': session.csrfToken };
    }
    this.rebuilt++;
  }

  /** Follows a rotated session (password change) like a browser: new cookie, new CSRF token. */
  observe(response: LightMyRequestResponse): void {
    if (this.mode !== 'session') return;
    const cookie = response.cookies.find((c) => c.name === 'roster_session');
    if (cookie?.value) this.headers.cookie = `roster_session=${cookie.value}`;
    if (response.statusCode === 200 && String(response.headers['content-type']).startsWith('application/json')) {
      const token = (response.json() as { csrfToken?: unknown }).csrfToken;
      if (typeof token === 'string') this.headers['x-csrf-token'] = token;
    }
  }

  /** After a write: still an active Owner with full access? Otherwise start over with a new one. */
  async ensureUsable(): Promise<void> {
    const me = await this.t.app.inject({ method: 'GET', url: '/api/v1/me', headers: this.headers });
    const body = me.statusCode === 200 ? (me.json() as { effectiveRole?: string; user?: { mustChangePassword?: boolean } }) : null;
    if (body?.effectiveRole !== 'owner' || body.user?.mustChangePassword) await this.build();
  }
}

/** Fresh things for one request to act on: destructive operations never run out of targets. */
export interface Targets {
  person: string;
  personLogin: string;
  project: string;
  group: string;
  session: string;
  self: string;
  serviceAccount: string;
  /** One of the caller's security keys (a stored row; its public key is never used by the routes fuzzed with it). */
  webauthnKey: string;
  /** A confidential third-party application the caller consented to (the /applications and /me/applications operations). */
  application: string;
  /** An identity provider (the /identity-providers/:id operations); its issuer is a closed loopback port. */
  identityProvider: string;
}

type TargetName = keyof Targets;
const targetNames: readonly TargetName[] = [
  'person',
  'personLogin',
  'project',
  'group',
  'session',
  'self',
  'serviceAccount',
  'webauthnKey',
  'application',
  'identityProvider',
];

/** The targets a generated request names (its symbolic tokens), so that only those are built for it. */
export function targetsNamedIn(value: unknown): Set<TargetName> {
  const text = JSON.stringify(value) ?? '';
  return new Set(targetNames.filter((name) => text.includes(token(name))));
}

/**
 * Builds fresh targets for one request: `wanted` of them, or all. Each request gets its own, so destructive operations
 * never run out; building only the named ones keeps the fuzz from spending half its time on rows no request reads
 * (on PostgreSQL, 50 of its 115 seconds went to building every target for every request).
 */
export async function freshTargets(t: TestApp, actor: FuzzActor, wanted: ReadonlySet<TargetName> | 'all' = 'all'): Promise<Targets> {
  const wants = (name: TargetName) => wanted === 'all' || wanted.has(name);
  const db = t.services.database.db;
  const now = t.services.now().toISOString();
  const targets: Targets = {
    person: '',
    personLogin: '',
    project: '',
    group: '',
    session: '',
    self: actor.user.user.id,
    serviceAccount: '',
    webauthnKey: '',
    application: '',
    identityProvider: '',
  };
  if (wants('person') || wants('personLogin') || wants('project')) {
    const person = await buildMember(t);
    targets.person = person.user.id;
    targets.personLogin = person.user.username;
    if (wants('project')) targets.project = (await buildProject(t, person.user)).id;
  }
  if (wants('group')) {
    const group = randomUUID();
    const name = `fuzz-${group.slice(0, 8)}`;
    await db.insertInto('groups').values({ id: group, name, name_canonical: name, description: '', role: null, created_at: now }).execute();
    targets.group = group;
  }
  if (wants('serviceAccount')) {
    // A Member service account (docs/product/service-accounts.md) for the /service-accounts/:id operations.
    const serviceAccount = randomUUID();
    const serviceAccountName = `fuzz-sa-${serviceAccount.slice(0, 8)}`;
    await db
      .insertInto('users')
      .values({
        id: serviceAccount,
        username: serviceAccountName,
        email: '',
        email_canonical: '',
        role: 'member',
        status: 'active',
        type: 'service_account',
        must_change_password: 0,
        created_at: now,
        last_seen_at: null,
        removed_at: null,
        last_failed_login_at: null,
        locked_until: null,
        created_by: actor.user.user.id,
        deactivated_at: null,
      })
      .execute();
    targets.serviceAccount = serviceAccount;
  }
  if (wants('session')) {
    // A second session of the caller, so DELETE /me/sessions/:id has something to end besides the current one.
    const extra = await createSession(t.cliContext(), db, actor.user.user.id, false);
    targets.session = publicSessionId(extra.digest);
  }
  if (wants('webauthnKey')) {
    // Exactly one key each time: the caller stays under the per-person limit however many requests it sends.
    const webauthnKey = randomUUID();
    await db.deleteFrom('webauthn_credentials').where('user_id', '=', actor.user.user.id).execute();
    await db
      .insertInto('webauthn_credentials')
      .values({
        id: webauthnKey,
        user_id: actor.user.user.id,
        name: 'Fuzz key',
        credential_id: randomUUID().replaceAll('-', ''),
        public_key: 'AA',
        counter: 0,
        transports: '[]',
        discoverable: 0,
        backed_up: 0,
        rp_id: 'localhost',
        created_at: now,
        last_used_at: null,
      })
      .execute();
    targets.webauthnKey = webauthnKey;
  }
  if (wants('application')) {
    // An application (SPEC §12.1) with the caller's consent, for /applications/:id and /me/applications/:id.
    const application = randomUUID();
    await db
      .insertInto('applications')
      .values({
        id: application,
        client_id: `app_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
        name: `fuzz-app-${application.slice(0, 8)}`,
        type: 'confidential',
        redirect_uris: '["https://app.example.com/callback"]',
        secret_digest: '0'.repeat(64),
        previous_secret_digest: null,
        previous_secret_expires_at: null,
        created_by: actor.user.user.id,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await db
      .insertInto('oidc_consents')
      .values({ user_id: actor.user.user.id, application_id: application, scopes: '["openid"]', created_at: now, updated_at: now })
      .execute();
    targets.application = application;
  }
  if (wants('identityProvider')) {
    // An identity provider (SPEC §12.2) for /identity-providers/:id; its secret is never read by the routes fuzzed.
    const identityProvider = randomUUID();
    await db
      .insertInto('identity_providers')
      .values({
        id: identityProvider,
        label: `fuzz-idp-${identityProvider.slice(0, 8)}`,
        issuer: 'http://127.0.0.1:9',
        client_id: 'roster',
        client_secret: 'v1.unused',
        scopes: 'openid profile email',
        username_claim: 'preferred_username',
        email_claim: 'email',
        groups_claim: 'groups',
        create_unknown: 0,
        link_verified_email: 0,
        enforces_2fa: 0,
        created_at: now,
        updated_at: now,
        created_by: actor.user.user.id,
      })
      .execute();
    targets.identityProvider = identityProvider;
  }
  return targets;
}

/** Symbolic values the arbitraries produce; replaced by real ids of `Targets` just before sending. */
export const token = (name: keyof Targets) => `\u00abtarget:${name}\u00bb`;

export function substitute<T>(value: T, targets: Targets): T {
  if (typeof value === 'string') {
    return value.replace(/\u00abtarget:(\w+)\u00bb/g, (_, name: keyof Targets) => targets[name]) as T;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, targets)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, targets)])) as T;
  }
  return value;
}

/** Query values as a query string sends them: every value is text. */
export function queryText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function encodeQuery(query: Record<string, unknown> | null): string {
  if (!query) return '';
  const parts = Object.entries(query).flatMap(([key, value]) =>
    Array.isArray(value) ? value.map((v) => [key, queryText(v)]) : [[key, queryText(value)]],
  );
  return parts.length === 0 ? '' : `?${parts.map(([k, v]) => `${encodeURIComponent(k ?? '')}=${encodeURIComponent(v ?? '')}`).join('&')}`;
}

/** What the server sees of a query string: every value a string, repeated keys an array. */
export function decodedQuery(query: Record<string, unknown> | null): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(encodeQuery(query).slice(1))) {
    const previous = out[key];
    out[key] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return out;
}

// ---- What every answer must look like ----

const leaks: Array<[RegExp, string]> = [
  [/\bat [^\n]+\.(?:ts|js):\d+/, 'a stack trace'],
  [
    /SQLITE_|syntax error at or near|violates (?:unique|foreign key|not-null)|invalid byte sequence|pg_catalog|kysely/i,
    'database internals',
  ],
  [/password_hash|\$argon2id\$|id_digest/i, 'a secret or a hash'],
];

/**
 * Transport-level answers any operation with a body may give and that no operation documents: 413 (body over 64 KiB)
 * and 415 (not application/json). They are still checked for problem+json and a known code. (Finding: the OpenAPI
 * document lists neither.)
 */
export const undocumentedTransportStatuses = new Set([413, 415]);

/** Everything wrong with one answer, as sentences (empty when it is fine). */
export function judge(operation: FuzzOperation, response: LightMyRequestResponse): string[] {
  const problems: string[] = [];
  const status = response.statusCode;
  const contentType = String(response.headers['content-type'] ?? '');
  const documented = operation.responses[String(status)];
  if (status >= 500) problems.push(`answered ${status}`);
  if (!documented && !undocumentedTransportStatuses.has(status))
    problems.push(`status ${status} is not documented (documented: ${Object.keys(operation.responses).join(', ')})`);
  for (const [pattern, what] of leaks) if (pattern.test(response.body)) problems.push(`the body leaks ${what}`);
  // docs/product/security-settings.md#sessions-and-browser-security: security headers on every response, errors
  // included; API answers are never cached.
  if (!String(response.headers['content-security-policy'] ?? '').includes("default-src 'self'"))
    problems.push('no Content-Security-Policy');
  if (response.headers['x-content-type-options'] !== 'nosniff') problems.push('no X-Content-Type-Options: nosniff');
  if (operation.path.startsWith('/api/') && response.headers['cache-control'] !== 'no-store') {
    problems.push(`Cache-Control "${String(response.headers['cache-control'])}" on an API answer`);
  }

  if (status === 204) {
    if (response.body !== '') problems.push('a 204 with a body');
    return problems;
  }
  if (status >= 400) {
    if (!contentType.startsWith('application/problem+json')) problems.push(`error with content-type "${contentType}"`);
    let body: { code?: unknown; status?: unknown } | null = null;
    try {
      body = response.json();
    } catch {
      problems.push('error body is not JSON');
    }
    if (body) {
      if (typeof body.code !== 'string' || !(body.code in errorCatalogue)) problems.push(`unknown error code ${String(body.code)}`);
      if (body.status !== status) problems.push(`problem.status ${String(body.status)} ≠ HTTP ${status}`);
      const invalid = documented ? validateResponse(operation, String(status), body) : null;
      if (invalid) problems.push(`problem body does not match the documented schema: ${invalid}`);
    }
    return problems;
  }
  // Success: one of the documented media types, and a body that matches the documented schema.
  const media = contentType.split(';')[0]?.trim() ?? '';
  if (documented && documented.contentTypes.length > 0 && !documented.contentTypes.includes(media)) {
    problems.push(`content-type "${contentType}" is not one of ${documented.contentTypes.join(', ')}`);
  }
  if (media === 'application/json') {
    let body: unknown;
    try {
      body = response.json();
    } catch {
      problems.push('body is not JSON');
      return problems;
    }
    const invalid = documented ? validateResponse(operation, String(status), body) : null;
    if (invalid) problems.push(`body does not match the documented ${status} schema: ${invalid}`);
  } else if (media === 'application/x-ndjson') {
    for (const line of response.body.split('\n').filter(Boolean)) {
      try {
        JSON.parse(line);
      } catch {
        problems.push('an NDJSON line is not JSON');
        break;
      }
    }
  } else if (media === 'text/csv') {
    if (!/^[^\n]*,/.test(response.body)) problems.push('CSV without a header row');
  }
  return problems;
}

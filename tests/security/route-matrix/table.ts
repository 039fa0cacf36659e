import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { loadAccessSubject } from '../../../src/domain/access/load-access-subject.js';
import { createApplication } from '../../../src/domain/applications/create-application.js';
import { createIdentityProvider } from '../../../src/domain/identity-providers/create-identity-provider.js';
import { publicSessionId } from '../../../src/domain/profile/list-own-sessions.js';
import { setServiceAccountActive } from '../../../src/domain/service-accounts/change-service-account-state.js';
import { createServiceAccount } from '../../../src/domain/service-accounts/create-service-account.js';
import { buildMember, buildProject, factoryPassword, grantProjectRole } from '../../support/factories.js';
import { totpCode } from '../../support/mfa.js';
import { repoRoot } from '../../support/processes.js';
import { registerSoftKey, SoftAuthenticator } from '../../support/soft-authenticator.js';
import type { TestApp } from '../../support/test-app.js';
import { type Actor, type ActorKind, actorKinds, buildActor, type Method, sessionHeaders } from '../support/actors.js';

/**
 * docs/product/roles-and-permissions.md#how-a-decision-is-made,
 * docs/product/roles-and-permissions.md#rules-nobody-can-break, docs/product/api.md — every route of the server × every
 * kind of caller → the expected status, in ONE table. coverage.test.ts fails when a registered or documented route has
 * no row, and when a row names no route; cells.test.ts runs every cell.
 *
 * Callers: `anonymous`; `member`, `admin`, `owner` with a personal API token; `restricted`: a browser session (cookie +
 * CSRF token) of an account that must change its password, which may only read GET /me, change the password and log
 * out (docs/product/roles-and-permissions.md#no-permissions-without-a-usable-account). Every cell uses fresh accounts
 * and fresh targets.
 *
 * Targets here are the canonical ones: a person route acts on a fresh Member (lower than Admin/Owner, equal to a
 * Member); a project route acts on a stranger's project the caller has no grant on (Members get 404, never 403, so
 * names do not leak). The finer people/project target kinds (self/lower/equal/higher, own/granted/none) live in
 * tests/api/authorization-matrix.test.ts: rows marked `delegated` must have a row there too (checked below).
 */

/**
 * The five classic callers are written out in every row. `pending` (a pending-login cookie) defaults to exactly what
 * `anonymous` gets — it grants nothing — and `mfaSetup` (a session that must set 2FA up first) to what `restricted`
 * gets; rows name them only where they differ (logging in, the second factor, the 2FA setup routes).
 */
type Expect = Record<Exclude<ActorKind, 'pending' | 'mfaSetup'>, number> & Partial<Record<'pending' | 'mfaSetup', number>>;

/** The expected status of one caller kind on one row, the defaults above applied. */
export function expectedStatus(row: Row, actor: ActorKind): number {
  if (actor === 'pending') return row.expect.pending ?? row.expect.anonymous;
  if (actor === 'mfaSetup') return row.expect.mfaSetup ?? row.expect.restricted;
  return row.expect[actor];
}

interface CellSetup {
  t: TestApp;
  actor: Actor;
}
interface Prepared {
  url: string;
  body?: unknown;
}
export interface Row {
  /** Public by design: no credential needed, and a credential changes nothing. */
  public?: true;
  /** The finer target kinds of this route are in tests/api/authorization-matrix.test.ts. */
  delegated?: true;
  /** The code of the mfaSetup actor's 403 when the route lets it in and a rule of the route refuses (not the restriction). */
  mfaSetupCode?: 'forbidden';
  expect: Expect;
  /** The concrete request for one cell; defaults to the route's path with no body. */
  prepare?: (setup: CellSetup) => Promise<Prepared> | Prepared;
}

const publicRoute = (prepare?: Row['prepare'], status = 200): Row => ({
  public: true,
  expect: { anonymous: status, member: status, admin: status, owner: status, restricted: status },
  ...(prepare ? { prepare } : {}),
});
/** Any signed-in caller with full access; a restricted session is refused. */
const signedIn = (ok: number, restricted = 403): Expect => ({ anonymous: 401, member: ok, admin: ok, owner: ok, restricted });
/** Needs an Admin-only permission (people, roles, audit, groups.manage). */
const adminsOnly = (ok: number): Expect => ({ anonymous: 401, member: 403, admin: ok, owner: ok, restricted: 403 });
/** A stranger's project: Members do not even learn it exists. */
const strangersProject = (ok: number): Expect => ({ anonymous: 401, member: 404, admin: ok, owner: ok, restricted: 403 });
/** Needs an Owner-only permission. */
const ownersOnly = (ok: number): Expect => ({ anonymous: 401, member: 403, admin: 403, owner: ok, restricted: 403 });
const readOnlyRole: Expect = { anonymous: 401, member: 403, admin: 403, owner: 403, restricted: 403 };

/** The actor's current TOTP code (a pending actor has an authenticator app), or a code nobody has. */
function currentCode(t: TestApp, actor: Actor): string {
  const secret = (actor.user as { secret?: string } | null)?.secret;
  return secret ? totpCode(secret, t.clock.now()) : '000000';
}

/**
 * Turns 2FA on for a signed-in actor (set up, confirm with this step's code) and returns the body of a 2FA change:
 * the password and the next step's code (one step of drift is accepted; this step's code is spent).
 */
async function withTotpOn(t: TestApp, actor: Actor) {
  const body = { currentPassword: factoryPassword, secondFactor: { code: '000000' } };
  // Setting 2FA up would lift the mfaSetup actor's restriction, which is what its cell checks.
  if (actor.kind === 'mfaSetup') return body;
  // The mfaSetup actor leaves a policy that requires 2FA of everyone (actors.ts), which refuses turning 2FA off
  // (tests/api/mfa/policy.test.ts); here the other callers are asked about access only.
  await t.services.database.db.updateTable('security_settings').set({ mfa_policy: 'none' }).execute();
  const started = await actor.send('POST', '/api/v1/me/mfa/totp', { currentPassword: factoryPassword });
  if (started.statusCode !== 200) return body;
  const secret = started.json().secret as string;
  const confirmed = await actor.send('POST', '/api/v1/me/mfa/totp/confirm', { code: totpCode(secret, t.clock.now()) });
  if (confirmed.statusCode !== 200) throw new Error(`confirming TOTP: ${confirmed.body}`);
  return { ...body, secondFactor: { code: totpCode(secret, t.clock.now(), 1) } };
}

/** The public URL of the matrix's app (cells.test.ts): a domain, so that WebAuthn is offered. */
export const matrixOrigin = 'http://localhost:3000';

/**
 * One of the caller's own keys and the proof a change to it needs: the password and, since the key turned 2FA on, an
 * assertion by the key (a random id and the password alone for callers who cannot have one).
 */
async function ownKeyWithProof(t: TestApp, actor: Actor): Promise<{ id: string; proof: Record<string, unknown> }> {
  if (!actor.user || actor.kind === 'restricted' || actor.kind === 'pending')
    return { id: randomUUID(), proof: { currentPassword: factoryPassword } };
  // The mfaSetup actor leaves a policy that requires 2FA of everyone, which refuses removing the only key; the other
  // callers are asked about access only (as in withTotpOn).
  if (actor.kind !== 'mfaSetup') await t.services.database.db.updateTable('security_settings').set({ mfa_policy: 'none' }).execute();
  const { keyId, authenticator } = await registerSoftKey(
    t.app,
    { username: actor.user.user.username, password: factoryPassword },
    matrixOrigin,
  );
  const options = await actor.send('POST', '/api/v1/me/mfa/webauthn/confirmation-options');
  return { id: keyId, proof: { currentPassword: factoryPassword, secondFactor: { webauthn: authenticator.get(options.json().options) } } };
}

export const uniqueName = (prefix: string) => `${prefix}-${randomUUID().slice(0, 12)}`;
const newPassword = () => `route matrix ${randomUUID()}`;

async function freshMember(t: TestApp): Promise<string> {
  return (await buildMember(t)).user.id;
}
async function strangersProjectId(t: TestApp) {
  return (await buildProject(t, { id: await freshMember(t) })).id;
}
export async function freshGroup(t: TestApp, memberId?: string) {
  const id = randomUUID();
  const name = uniqueName('group');
  const now = t.services.now().toISOString();
  const db = t.services.database.db;
  await db.insertInto('groups').values({ id, name, name_canonical: name, description: '', role: null, created_at: now }).execute();
  if (memberId) await db.insertInto('group_members').values({ group_id: id, user_id: memberId, created_at: now }).execute();
  return id;
}

/** A fresh Member service account made by the CLI (Admins may manage it), optionally deactivated; returns its id. */
async function freshServiceAccount(t: TestApp, deactivated = false): Promise<string> {
  const subject = await loadAccessSubject(t.services.database.db, t.owner.user.id);
  if (!subject) throw new Error('the test Owner is missing');
  const asOwner = { ...t.cliContext(), caller: { kind: 'user' as const, subject } };
  const created = await createServiceAccount(asOwner, { name: uniqueName('sa'), role: 'member' });
  if (deactivated) await setServiceAccountActive(asOwner, created.serviceAccount.id, false);
  return created.serviceAccount.id;
}
const serviceAccountUrl =
  (suffix: string, deactivated = false) =>
  async ({ t }: CellSetup) => ({ url: `/api/v1/service-accounts/${await freshServiceAccount(t, deactivated)}${suffix}` });

/** A fresh third-party confidential application registered by the test Owner (Admins may manage it); returns its id. */
async function freshApplication(t: TestApp): Promise<string> {
  const subject = await loadAccessSubject(t.services.database.db, t.owner.user.id);
  if (!subject) throw new Error('the test Owner is missing');
  const asOwner = { ...t.cliContext(), caller: { kind: 'user' as const, subject } };
  const created = await createApplication(asOwner, {
    name: uniqueName('app'),
    type: 'confidential',
    redirectUris: ['https://app.example.com/callback'],
  });
  return created.application.id;
}
const applicationUrl =
  (suffix: string) =>
  async ({ t }: CellSetup) => ({ url: `/api/v1/applications/${await freshApplication(t)}${suffix}` });

/** A fresh identity provider registered by the test Owner; its issuer is a closed loopback port (Test connection fails fast). */
async function freshIdentityProvider(t: TestApp): Promise<string> {
  const subject = await loadAccessSubject(t.services.database.db, t.owner.user.id);
  if (!subject) throw new Error('the test Owner is missing');
  const asOwner = { ...t.cliContext(), caller: { kind: 'user' as const, subject } };
  const created = await createIdentityProvider(asOwner, identityProviderBody());
  return created.identityProvider.id;
}
const identityProviderBody = () => ({
  label: uniqueName('idp').slice(0, 60),
  issuer: 'http://127.0.0.1:9',
  clientId: 'roster',
  clientSecret: 'matrix-secret',
  createUnknown: false,
  linkVerifiedEmail: false,
});
const identityProviderUrl =
  (suffix: string) =>
  async ({ t }: CellSetup) => ({ url: `/api/v1/identity-providers/${await freshIdentityProvider(t)}${suffix}` });

const personUrl =
  (suffix: string) =>
  async ({ t }: CellSetup) => ({ url: `/api/v1/people/${await freshMember(t)}${suffix}` });
const projectUrl =
  (suffix: string, body?: (t: TestApp) => Promise<unknown> | unknown) =>
  async ({ t }: CellSetup) => ({
    url: `/api/v1/projects/${await strangersProjectId(t)}${suffix}`,
    ...(body ? { body: await body(t) } : {}),
  });

export const routeMatrix: Record<`${Exclude<Method, 'HEAD'>} /${string}`, Row> = {
  // ---- Public by design (outside /api/v1, or the OpenAPI document itself) ----
  'GET /healthz': publicRoute(),
  'GET /readyz': publicRoute(),
  'GET /metrics': publicRoute(),
  'GET /api/v1/openapi.json': publicRoute(),
  'GET /api/docs': publicRoute(() => ({ url: '/api/docs/' })),
  'GET /api/docs/json': publicRoute(),
  'GET /api/docs/yaml': publicRoute(),
  // The UI's own index page redirects to /api/docs/.
  'GET /api/docs/static/index.html': publicRoute(undefined, 302),
  'GET /api/docs/static/swagger-initializer.js': publicRoute(),
  'GET /api/docs/static/*': publicRoute(() => ({ url: '/api/docs/static/swagger-ui.css' })),
  'GET /index.html': publicRoute(),

  // ---- Signing in to another application (the OpenID Connect provider's steps, docs/oidc.md) ----
  // The provider binds a sign-in to the browser that started it with a cookie of the interaction's path; a caller
  // without it finds nothing (404 interaction_not_found), whoever they are. The login and consent steps need a usable
  // console session first. The library's own endpoints (/oidc/*, discovery) are exempt: see coverage.test.ts.
  'GET /interaction/:uid/details': {
    expect: { anonymous: 404, member: 404, admin: 404, owner: 404, restricted: 404 },
    prepare: () => ({ url: '/interaction/matrix-uid/details' }),
  },
  'POST /interaction/:uid/login': {
    expect: { anonymous: 401, member: 404, admin: 404, owner: 404, restricted: 403 },
    prepare: () => ({ url: '/interaction/matrix-uid/login', body: {} }),
  },
  'POST /interaction/:uid/consent': {
    expect: { anonymous: 401, member: 404, admin: 404, owner: 404, restricted: 403 },
    prepare: () => ({ url: '/interaction/matrix-uid/consent', body: {} }),
  },
  'POST /interaction/:uid/abort': {
    expect: { anonymous: 404, member: 404, admin: 404, owner: 404, restricted: 404 },
    prepare: () => ({ url: '/interaction/matrix-uid/abort', body: {} }),
  },

  // ---- Logging in with an identity provider (docs/sso.md): console addresses that only redirect ----
  // An unknown provider sends anyone back to the login page with sso_error=unknown_provider.
  'GET /auth/sso/:id/start': publicRoute(() => ({ url: `/auth/sso/${randomUUID()}/start` }), 302),
  'GET /auth/sso/:id/callback': publicRoute(() => ({ url: `/auth/sso/${randomUUID()}/callback?code=x&state=y` }), 302),

  // ---- Authentication ----
  'POST /api/v1/auth/login': {
    // Logging in needs no credential; a restricted session must first set its password
    // (docs/product/roles-and-permissions.md#no-permissions-without-a-usable-account).
    expect: { anonymous: 200, member: 200, admin: 200, owner: 200, restricted: 403 },
    prepare: async ({ t }) => {
      const someone = await buildMember(t);
      return { url: '/api/v1/auth/login', body: { login: someone.user.username, password: someone.password } };
    },
  },
  'GET /api/v1/auth/login-methods': publicRoute(),
  // Without a pending login (the cookie of a right password) there is nothing to continue.
  // A pending login whose account has no security key is told so (400 webauthn_failed): its factor is an app.
  'POST /api/v1/auth/second-factor/options': {
    expect: { anonymous: 401, member: 401, admin: 401, owner: 401, restricted: 403, pending: 400 },
  },
  'POST /api/v1/auth/passkey/options': { expect: { anonymous: 200, member: 200, admin: 200, owner: 200, restricted: 403 } },
  'POST /api/v1/auth/passkey': {
    // A complete login with a fresh Member's passkey; a restricted session must first set its password.
    expect: { anonymous: 200, member: 200, admin: 200, owner: 200, restricted: 403 },
    prepare: async ({ t }) => {
      const someone = await buildMember(t);
      const { authenticator } = await registerSoftKey(t.app, { username: someone.user.username, password: someone.password }, matrixOrigin);
      const options = await t.app.inject({ method: 'POST', url: '/api/v1/auth/passkey/options' });
      return { url: '/api/v1/auth/passkey', body: { credential: authenticator.get(options.json().options) } };
    },
  },
  'POST /api/v1/auth/logout': { expect: { anonymous: 204, member: 204, admin: 204, owner: 204, restricted: 204 } },
  'POST /api/v1/auth/password': {
    // A session that must set 2FA up may do only that (docs/product/security-settings.md#two-factor-authentication).
    expect: { ...signedIn(200, 200), mfaSetup: 403 },
    prepare: () => ({ url: '/api/v1/auth/password', body: { currentPassword: factoryPassword, newPassword: newPassword() } }),
  },

  'POST /api/v1/auth/second-factor': {
    // Only a pending login continues here; anything else is refused like nobody, a restricted session as everywhere.
    expect: { anonymous: 401, member: 401, admin: 401, owner: 401, restricted: 403, pending: 200, mfaSetup: 403 },
    prepare: ({ t, actor }) => ({ url: '/api/v1/auth/second-factor', body: { code: currentCode(t, actor) } }),
  },

  // ---- Profile (always the caller themselves) ----
  'GET /api/v1/me': { expect: signedIn(200, 200) },
  'GET /api/v1/me/mfa': { expect: { ...signedIn(200), mfaSetup: 200 } },
  'POST /api/v1/me/mfa/totp': {
    expect: { ...signedIn(200), mfaSetup: 200 },
    prepare: () => ({ url: '/api/v1/me/mfa/totp', body: { currentPassword: factoryPassword } }),
  },
  'POST /api/v1/me/mfa/totp/confirm': {
    expect: { ...signedIn(200), mfaSetup: 200 },
    prepare: async ({ t, actor }) => {
      const started = await actor.send('POST', '/api/v1/me/mfa/totp', { currentPassword: factoryPassword });
      const code = started.statusCode === 200 ? totpCode(started.json().secret, t.clock.now()) : '000000';
      return { url: '/api/v1/me/mfa/totp/confirm', body: { code } };
    },
  },
  'DELETE /api/v1/me/mfa/totp': {
    expect: signedIn(204),
    prepare: async ({ t, actor }) => ({ url: '/api/v1/me/mfa/totp', body: await withTotpOn(t, actor) }),
  },
  'POST /api/v1/me/mfa/recovery-codes': {
    expect: signedIn(200),
    prepare: async ({ t, actor }) => ({ url: '/api/v1/me/mfa/recovery-codes', body: await withTotpOn(t, actor) }),
  },
  'PATCH /api/v1/me': { expect: signedIn(200), prepare: () => ({ url: '/api/v1/me', body: { username: uniqueName('renamed') } }) },
  'POST /api/v1/me/email': {
    expect: signedIn(200),
    prepare: () => ({ url: '/api/v1/me/email', body: { email: `${uniqueName('moved')}@example.com`, currentPassword: factoryPassword } }),
  },
  'POST /api/v1/me/token': {
    expect: signedIn(200),
    prepare: () => ({ url: '/api/v1/me/token', body: { currentPassword: factoryPassword } }),
  },
  'DELETE /api/v1/me/token': {
    expect: signedIn(204),
    prepare: () => ({ url: '/api/v1/me/token', body: { currentPassword: factoryPassword } }),
  },
  // Security keys and passkeys (the matrix's app has a localhost public URL, so WebAuthn is on).
  // A session that must set 2FA up may add a security key: that is setting it up.
  'GET /api/v1/me/mfa/webauthn': { expect: { ...signedIn(200), mfaSetup: 200 } },
  'POST /api/v1/me/mfa/webauthn/options': {
    expect: { ...signedIn(200), mfaSetup: 200 },
    prepare: () => ({ url: '/api/v1/me/mfa/webauthn/options', body: { currentPassword: factoryPassword } }),
  },
  'POST /api/v1/me/mfa/webauthn': {
    expect: { ...signedIn(201), mfaSetup: 201 },
    prepare: async ({ actor }) => {
      if (!actor.user || actor.kind === 'restricted' || actor.kind === 'pending') return { url: '/api/v1/me/mfa/webauthn', body: {} };
      // The options step through the caller's own credential, then the new key's answer.
      const options = await actor.send('POST', '/api/v1/me/mfa/webauthn/options', { currentPassword: factoryPassword });
      const credential = new SoftAuthenticator(matrixOrigin, 'localhost').create(options.json().options);
      return { url: '/api/v1/me/mfa/webauthn', body: { name: uniqueName('key'), credential } };
    },
  },
  'POST /api/v1/me/mfa/webauthn/confirmation-options': {
    expect: { ...signedIn(200), mfaSetup: 200 },
    prepare: async ({ t, actor }) => {
      if (actor.user && actor.kind !== 'restricted' && actor.kind !== 'pending')
        await registerSoftKey(t.app, { username: actor.user.user.username, password: factoryPassword }, matrixOrigin);
      return { url: '/api/v1/me/mfa/webauthn/confirmation-options' };
    },
  },
  'PATCH /api/v1/me/mfa/webauthn/:id': {
    expect: { ...signedIn(200), mfaSetup: 200 },
    prepare: async ({ t, actor }) => {
      const key = await ownKeyWithProof(t, actor);
      return { url: `/api/v1/me/mfa/webauthn/${key.id}`, body: { name: uniqueName('renamed-key'), ...key.proof } };
    },
  },
  'DELETE /api/v1/me/mfa/webauthn/:id': {
    expect: signedIn(204),
    // A setup session may manage its keys, but the policy that put it there refuses removing its only one.
    mfaSetupCode: 'forbidden',
    prepare: async ({ t, actor }) => {
      const key = await ownKeyWithProof(t, actor);
      return { url: `/api/v1/me/mfa/webauthn/${key.id}`, body: key.proof };
    },
  },
  'GET /api/v1/me/sessions': { expect: signedIn(200) },
  'GET /api/v1/me/applications': { expect: signedIn(200) },
  // ---- Linked identity providers (docs/sso.md#linking-from-profile) ----
  'GET /api/v1/me/identities': { expect: signedIn(200) },
  // A link is bound to the browser session that asks for it: a token (member, admin, owner here) is refused.
  'POST /api/v1/me/identities': {
    expect: { anonymous: 401, member: 403, admin: 403, owner: 403, restricted: 403 },
    prepare: async ({ t }) => ({
      url: '/api/v1/me/identities',
      body: { identityProviderId: await freshIdentityProvider(t), currentPassword: factoryPassword },
    }),
  },
  // A fresh provider login instead of a password (docs/sso.md#confirming-its-you-without-a-password): bound to the browser
  // session, so a token is refused; a session that must set 2FA up may ask (a person created by SSO needs it to do so),
  // and here is refused because it has no link at that provider.
  'POST /api/v1/me/reauthenticate': {
    expect: { anonymous: 401, member: 403, admin: 403, owner: 403, restricted: 403, mfaSetup: 404 },
    prepare: async ({ t }) => ({ url: '/api/v1/me/reauthenticate', body: { identityProviderId: await freshIdentityProvider(t) } }),
  },
  // Nobody has a link with a fresh id.
  'DELETE /api/v1/me/identities/:id': {
    expect: signedIn(404),
    prepare: () => ({ url: `/api/v1/me/identities/${randomUUID()}` }),
  },
  'DELETE /api/v1/me/applications/:id': {
    expect: signedIn(204),
    prepare: async ({ t, actor }) => {
      const applicationId = await freshApplication(t);
      // The caller's own consent to it (an account that cannot reach the route gets no consent: it is refused first).
      if (actor.user && actor.kind !== 'pending') {
        const now = t.services.now().toISOString();
        await t.services.database.db
          .insertInto('oidc_consents')
          .values({ user_id: actor.user.user.id, application_id: applicationId, scopes: '["openid"]', created_at: now, updated_at: now })
          .execute();
      }
      return { url: `/api/v1/me/applications/${applicationId}` };
    },
  },
  'DELETE /api/v1/me/sessions': { expect: signedIn(200) },
  'DELETE /api/v1/me/sessions/:id': {
    expect: signedIn(204),
    prepare: async ({ t, actor }) => {
      if (!actor.user || actor.kind === 'pending') return { url: `/api/v1/me/sessions/${randomBytes(8).toString('hex')}` };
      // One of the caller's own sessions (a token caller logs in once in a browser first).
      if (actor.kind !== 'restricted') await sessionHeaders(t, actor.user);
      const own = await t.services.database.db
        .selectFrom('sessions')
        .select('id_digest')
        .where('user_id', '=', actor.user.user.id)
        .execute();
      const digest = own[0]?.id_digest;
      if (!digest) throw new Error('the actor has no session');
      return { url: `/api/v1/me/sessions/${publicSessionId(digest)}` };
    },
  },

  // ---- People (finer targets: tests/api/authorization-matrix.test.ts) ----
  'GET /api/v1/people': { delegated: true, expect: adminsOnly(200) },
  'POST /api/v1/people': {
    delegated: true,
    expect: adminsOnly(200),
    prepare: () => ({ url: '/api/v1/people', body: { accounts: [{ email: `${uniqueName('added')}@example.com` }] } }),
  },
  'GET /api/v1/people/export': { delegated: true, expect: adminsOnly(200) },
  // Also open to Members who administer a project (tests/api/people/lookup.test.ts); this Member administers none.
  'GET /api/v1/people/lookup': { delegated: true, expect: adminsOnly(200) },
  'GET /api/v1/people/:id': { delegated: true, expect: adminsOnly(200), prepare: personUrl('') },
  'GET /api/v1/people/:id/permissions': { delegated: true, expect: adminsOnly(200), prepare: personUrl('/permissions') },
  'PUT /api/v1/people/:id/role': {
    delegated: true,
    expect: adminsOnly(200),
    prepare: async (setup) => ({ ...(await personUrl('/role')(setup)), body: { role: 'admin' } }),
  },
  'PUT /api/v1/people/:id/email': {
    delegated: true,
    expect: adminsOnly(200),
    prepare: async (setup) => ({ ...(await personUrl('/email')(setup)), body: { email: `${uniqueName('changed')}@example.com` } }),
  },
  'POST /api/v1/people/:id/password-reset': {
    delegated: true,
    expect: adminsOnly(200),
    prepare: async (setup) => ({ ...(await personUrl('/password-reset')(setup)), body: {} }),
  },
  'POST /api/v1/people/:id/mfa-reset': { expect: adminsOnly(200), prepare: personUrl('/mfa-reset') },
  'POST /api/v1/people/:id/unlock': { delegated: true, expect: adminsOnly(200), prepare: personUrl('/unlock') },
  'DELETE /api/v1/people/:id/sessions': { delegated: true, expect: adminsOnly(200), prepare: personUrl('/sessions') },
  'DELETE /api/v1/people/:id': { delegated: true, expect: adminsOnly(204), prepare: personUrl('') },

  // ---- Projects (finer targets: tests/api/authorization-matrix.test.ts) ----
  'GET /api/v1/projects': { delegated: true, expect: signedIn(200) },
  'POST /api/v1/projects': {
    delegated: true,
    expect: signedIn(201),
    prepare: () => ({ url: '/api/v1/projects', body: { name: uniqueName('project') } }),
  },
  'GET /api/v1/projects/:id': { delegated: true, expect: strangersProject(200), prepare: projectUrl('') },
  'PATCH /api/v1/projects/:id': {
    delegated: true,
    expect: strangersProject(200),
    prepare: projectUrl('', () => ({ description: 'changed by the route matrix' })),
  },
  'DELETE /api/v1/projects/:id': { delegated: true, expect: strangersProject(204), prepare: projectUrl('') },
  'PUT /api/v1/projects/:id/owner': {
    delegated: true,
    expect: strangersProject(200),
    prepare: projectUrl('/owner', async (t) => ({ userId: await freshMember(t) })),
  },
  'GET /api/v1/projects/:id/access': { delegated: true, expect: strangersProject(200), prepare: projectUrl('/access') },
  'PUT /api/v1/projects/:id/access/:subjectType/:subjectId': {
    delegated: true,
    expect: strangersProject(200),
    prepare: async ({ t }) => ({
      url: `/api/v1/projects/${await strangersProjectId(t)}/access/user/${await freshMember(t)}`,
      body: { role: 'reader' },
    }),
  },
  'DELETE /api/v1/projects/:id/access/:subjectType/:subjectId': {
    delegated: true,
    expect: strangersProject(200),
    prepare: async ({ t }) => {
      const project = await strangersProjectId(t);
      const grantee = await freshMember(t);
      await grantProjectRole(t, { id: project }, { id: grantee }, 'reader');
      return { url: `/api/v1/projects/${project}/access/user/${grantee}` };
    },
  },

  // ---- Roles and permissions (read-only catalogue, R6) ----
  'GET /api/v1/roles': { expect: adminsOnly(200) },
  'GET /api/v1/roles/:id': { expect: adminsOnly(200), prepare: () => ({ url: '/api/v1/roles/owner' }) },
  'POST /api/v1/roles': { expect: readOnlyRole, prepare: () => ({ url: '/api/v1/roles', body: { name: 'custom' } }) },
  'PUT /api/v1/roles/:id': { expect: readOnlyRole, prepare: () => ({ url: '/api/v1/roles/member', body: { name: 'x' } }) },
  'PATCH /api/v1/roles/:id': { expect: readOnlyRole, prepare: () => ({ url: '/api/v1/roles/member', body: { name: 'x' } }) },
  'DELETE /api/v1/roles/:id': { expect: readOnlyRole, prepare: () => ({ url: '/api/v1/roles/member' }) },
  'GET /api/v1/permissions': { expect: adminsOnly(200) },

  // ---- Authorization decisions (about the caller) ----
  'POST /api/v1/authorize': {
    expect: signedIn(200),
    prepare: () => ({ url: '/api/v1/authorize', body: { permission: 'organization.view' } }),
  },
  'GET /api/v1/authorize/explain': {
    expect: signedIn(200),
    prepare: () => ({ url: '/api/v1/authorize/explain?permission=organization.view' }),
  },

  // ---- Groups (view: everyone; manage: Admins and Owners) ----
  'GET /api/v1/groups': { expect: signedIn(200) },
  'POST /api/v1/groups': { expect: adminsOnly(201), prepare: () => ({ url: '/api/v1/groups', body: { name: uniqueName('group') } }) },
  'GET /api/v1/groups/:id': { expect: signedIn(200), prepare: async ({ t }) => ({ url: `/api/v1/groups/${await freshGroup(t)}` }) },
  // Members see who is in a group, but only id and username (docs/product/security-settings.md#privacy-between-users;
  // tests/api/groups.test.ts).
  'GET /api/v1/groups/:id/members': {
    expect: signedIn(200),
    prepare: async ({ t }) => ({ url: `/api/v1/groups/${await freshGroup(t, await freshMember(t))}/members` }),
  },
  'GET /api/v1/groups/:id/projects': {
    expect: signedIn(200),
    prepare: async ({ t }) => ({ url: `/api/v1/groups/${await freshGroup(t)}/projects` }),
  },
  'PATCH /api/v1/groups/:id': {
    expect: adminsOnly(200),
    prepare: async ({ t }) => ({ url: `/api/v1/groups/${await freshGroup(t)}`, body: { description: 'changed' } }),
  },
  'DELETE /api/v1/groups/:id': { expect: adminsOnly(204), prepare: async ({ t }) => ({ url: `/api/v1/groups/${await freshGroup(t)}` }) },
  'PUT /api/v1/groups/:id/members/:userId': {
    expect: adminsOnly(200),
    prepare: async ({ t }) => ({ url: `/api/v1/groups/${await freshGroup(t)}/members/${await freshMember(t)}` }),
  },
  'DELETE /api/v1/groups/:id/members/:userId': {
    expect: adminsOnly(200),
    prepare: async ({ t }) => {
      const member = await freshMember(t);
      return { url: `/api/v1/groups/${await freshGroup(t, member)}/members/${member}` };
    },
  },
  'GET /api/v1/service-accounts': { expect: adminsOnly(200) },
  'POST /api/v1/service-accounts': {
    expect: adminsOnly(201),
    prepare: () => ({ url: '/api/v1/service-accounts', body: { name: uniqueName('sa'), role: 'member' } }),
  },
  'GET /api/v1/service-accounts/:id': { expect: adminsOnly(200), prepare: serviceAccountUrl('') },
  'PATCH /api/v1/service-accounts/:id': {
    expect: adminsOnly(200),
    prepare: async (setup) => ({ ...(await serviceAccountUrl('')(setup)), body: { description: 'changed' } }),
  },
  'DELETE /api/v1/service-accounts/:id': { expect: adminsOnly(204), prepare: serviceAccountUrl('') },
  'POST /api/v1/service-accounts/:id/token': {
    expect: adminsOnly(200),
    prepare: async (setup) => ({ ...(await serviceAccountUrl('/token')(setup)), body: { expiresInDays: 30 } }),
  },
  'POST /api/v1/service-accounts/:id/deactivate': { expect: adminsOnly(200), prepare: serviceAccountUrl('/deactivate') },
  'POST /api/v1/service-accounts/:id/reactivate': { expect: adminsOnly(200), prepare: serviceAccountUrl('/reactivate', true) },

  // ---- Settings → Applications (organization.applications.view/.manage: Admins; trust: Owners, tests/api/oidc) ----
  'GET /api/v1/applications': { expect: adminsOnly(200) },
  'POST /api/v1/applications': {
    expect: adminsOnly(201),
    prepare: () => ({
      url: '/api/v1/applications',
      body: { name: uniqueName('app'), type: 'public', redirectUris: ['http://127.0.0.1/callback'] },
    }),
  },
  'GET /api/v1/applications/:id': { expect: adminsOnly(200), prepare: applicationUrl('') },
  'PATCH /api/v1/applications/:id': {
    expect: adminsOnly(200),
    prepare: async (setup) => ({ ...(await applicationUrl('')(setup)), body: { name: uniqueName('renamed') } }),
  },
  'DELETE /api/v1/applications/:id': { expect: adminsOnly(204), prepare: applicationUrl('') },
  'POST /api/v1/applications/:id/secret': { expect: adminsOnly(200), prepare: applicationUrl('/secret') },

  // ---- Settings → Identity providers (organization.identity_providers.manage: Owners; tests/api/sso) ----
  'GET /api/v1/identity-providers': { expect: ownersOnly(200) },
  'POST /api/v1/identity-providers': {
    expect: ownersOnly(201),
    prepare: () => ({ url: '/api/v1/identity-providers', body: identityProviderBody() }),
  },
  'POST /api/v1/identity-providers/test': {
    expect: ownersOnly(200),
    prepare: () => ({ url: '/api/v1/identity-providers/test', body: { issuer: 'http://127.0.0.1:9' } }),
  },
  'GET /api/v1/identity-providers/:id': { expect: ownersOnly(200), prepare: identityProviderUrl('') },
  'PATCH /api/v1/identity-providers/:id': {
    expect: ownersOnly(200),
    prepare: async (setup) => ({ ...(await identityProviderUrl('')(setup)), body: { label: uniqueName('renamed').slice(0, 60) } }),
  },
  'DELETE /api/v1/identity-providers/:id': { expect: ownersOnly(204), prepare: identityProviderUrl('') },
  'POST /api/v1/identity-providers/:id/test': { expect: ownersOnly(200), prepare: identityProviderUrl('/test') },

  // ---- Settings → Security (organization.security_settings.manage: Owners) ----
  'GET /api/v1/settings/security': { expect: ownersOnly(200) },
  'PUT /api/v1/settings/security': {
    expect: ownersOnly(200),
    // The values the mfaSetup actor relies on (actors.ts): a cell never changes the policy under the others.
    prepare: () => ({ url: '/api/v1/settings/security', body: { mfaPolicy: 'everyone', mfaGraceDays: 7 } }),
  },
  'PATCH /api/v1/settings/security': {
    expect: ownersOnly(200),
    prepare: () => ({ url: '/api/v1/settings/security', body: { mfaPolicy: 'everyone', mfaGraceDays: 7 } }),
  },

  // ---- Audit log ----
  'GET /api/v1/audit': { expect: adminsOnly(200) },
  'GET /api/v1/audit/export': { expect: adminsOnly(200) },
  'POST /api/v1/audit/verify': { expect: adminsOnly(200) },
};

export const delegationSource = path.join(repoRoot, 'tests/api/authorization-matrix.test.ts');

export interface Cell {
  route: keyof typeof routeMatrix;
  method: Method;
  actor: ActorKind;
  status: number;
}

export const cells: Cell[] = Object.entries(routeMatrix).flatMap(([route, row]) => {
  const method = route.split(' ')[0] as Method;
  const main = actorKinds.map((actor): Cell => ({ route: route as Cell['route'], method, actor, status: expectedStatus(row, actor) }));
  // Fastify answers HEAD for every GET route: the same decision must apply (checked for the two weakest callers).
  const head =
    method === 'GET'
      ? (['anonymous', 'member'] as const).map(
          (actor): Cell => ({ route: route as Cell['route'], method: 'HEAD', actor, status: expectedStatus(row, actor) }),
        )
      : [];
  return [...main, ...head];
});

export function rowOf(route: Cell['route']): Row {
  const row = routeMatrix[route];
  if (!row) throw new Error(`no row for ${route}`);
  return row;
}

export async function runCell(t: TestApp, cell: Cell) {
  const row = rowOf(cell.route);
  const actor = await buildActor(t, cell.actor);
  const template = cell.route.slice(cell.route.indexOf(' ') + 1);
  const prepared = row.prepare ? await row.prepare({ t, actor }) : { url: template };
  if (prepared.url.includes('/:')) throw new Error(`${cell.route}: the row needs a prepare() that fills the path`);
  const body = cell.method === 'HEAD' || cell.method === 'GET' ? undefined : prepared.body;
  return actor.send(cell.method, prepared.url, body);
}

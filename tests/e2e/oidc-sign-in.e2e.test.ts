import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Schema } from '../../src/storage/schema.js';
import { checkBothSizes, laptop } from './support/both-sizes.js';
import { chromiumAvailable, chromiumSkipReason, launchBrowser, watchPageProblems } from './support/browser.js';
import { browserSuiteOptions } from './support/browser-suite.js';
import { ensureConsoleBuilt } from './support/console-build.js';
import { callApi, createPerson, loginAsFreshOwner, type SignedIn } from './support/console-owner.js';
import { passwordFor } from './support/console-people.js';
import { type RelyingParty, startRelyingParty } from './support/relying-party.js';
import { type ServerProcess, startServerProcess } from './support/server-process.js';
import { codeFor } from './support/totp.js';

if (!chromiumAvailable) console.warn(`OpenID Connect sign-in browser tests ${chromiumSkipReason}`);

// Issue 15's "Done when", end to end: a separate application (tests/e2e/support/relying-party.ts, openid-client in this
// process) signs a person in through a real Roster server with their second factor, reads `roster_role` and `groups`,
// asks POST /api/v1/authorize what the person may do, and loses access the moment an Owner removes them; then the
// remembered consent, a first-party application, and logging out from the application (docs/oidc.md).
// The tests run in order and build on each other, as one person's day would.

/** A free TCP port on 127.0.0.1 (Roster's public URL must name it before the server starts). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** POSTs JSON as the session of `api`; a refusal fails the set-up with the server's words. */
async function post<T>(api: APIRequestContext, path: string, body: unknown, csrfToken = ''): Promise<T> {
  const response = await api.post(`/api/v1${path}`, { data: body, headers: { 'X-CSRF-Token': csrfToken } });
  if (!response.ok()) throw new Error(`POST ${path} answered ${response.status()}: ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * What the person does once, in their own browser, before the test: the first login with the temporary password, a
 * permanent password, and an authenticator app confirmed with its first code. Answers the app's setup key.
 */
async function setUpPersonWithTotp(api: APIRequestContext, username: string, temporaryPassword: string): Promise<string> {
  const first = await post<{ csrfToken: string }>(api, '/auth/login', { login: username, password: temporaryPassword });
  const changed = await post<{ csrfToken: string }>(api, '/auth/password', { newPassword: passwordFor(username) }, first.csrfToken);
  const started = await post<{ secret: string }>(api, '/me/mfa/totp', { currentPassword: passwordFor(username) }, changed.csrfToken);
  await post(api, '/me/mfa/totp/confirm', { code: codeFor(started.secret) }, changed.csrfToken);
  return started.secret;
}

interface Registered {
  clientId: string;
  secret: string;
}

/**
 * An application written straight into the server's database, as tests/support/oidc.ts does for the API tests
 * (registration through the API and Settings → Applications has its own tests): confidential, allowed for everyone.
 */
async function registerApplication(
  db: Kysely<Schema>,
  options: { name: string; redirectUris: string[]; postLogoutRedirectUris?: string[]; firstParty: boolean; authorizeApi: boolean },
): Promise<Registered> {
  const clientId = `app_${randomBytes(12).toString('hex')}`;
  const secret = `rcs_${randomBytes(20).toString('hex')}`;
  const at = new Date().toISOString();
  await db
    .insertInto('applications')
    .values({
      id: randomUUID(),
      client_id: clientId,
      name: options.name,
      type: 'confidential',
      redirect_uris: JSON.stringify(options.redirectUris),
      post_logout_redirect_uris: JSON.stringify(options.postLogoutRedirectUris ?? []),
      first_party: options.firstParty ? 1 : 0,
      authorize_api: options.authorizeApi ? 1 : 0,
      roster_api: 0,
      restricted_to_groups: 0,
      secret_digest: createHash('sha256').update(secret).digest('hex'),
      previous_secret_digest: null,
      previous_secret_expires_at: null,
      created_by: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return { clientId, secret };
}

/** Every address the page's main frame went to from now on. */
function recordNavigations(page: Page): string[] {
  const visited: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) visited.push(frame.url());
  });
  return visited;
}

/** The text of the relying party's `data-…` element on the page it shows now. */
async function shown(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).textContent()) ?? '').trim();
}

describe.skipIf(!chromiumAvailable)('Signing in to another application through Roster', browserSuiteOptions, () => {
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  let db: Kysely<Schema> | undefined;
  let rp: RelyingParty | undefined;
  let dataDir = '';
  let owner: SignedIn;
  /** The person who signs in: a Member with an authenticator app, in group release-team (reader on payments). */
  const dana = { id: '', username: 'dana', totpKey: '' };
  let projectId = '';
  /** Dana's browser, not logged in to Roster when the first test starts. */
  let danaContext: BrowserContext;
  let danaPage: Page;
  let danaProblems: string[] = [];

  const started = () => {
    if (!server || !browser || !rp) throw new Error('the server, the browser or the relying party did not start');
    return { server, browser, rp };
  };

  beforeAll(async () => {
    await ensureConsoleBuilt();
    dataDir = await mkdtemp(join(tmpdir(), 'roster-oidc-e2e-'));
    const port = await freePort();
    server = await startServerProcess({
      env: {
        ROSTER_PORT: String(port),
        ROSTER_PUBLIC_URL: `http://127.0.0.1:${port}`,
        ROSTER_DATABASE_URL: `sqlite:${join(dataDir, 'roster.db')}`,
        ROSTER_SECRET_KEY: randomBytes(32).toString('base64'),
      },
    });
    db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: new SQLite(join(dataDir, 'roster.db'), { timeout: 5_000 }) }) });
    browser = await launchBrowser();
    const { origin } = server;

    owner = await loginAsFreshOwner(browser, server, laptop);
    const person = await createPerson(owner.context, origin, 'dana@example.com', dana.username);
    dana.id = person.id;
    const setup = await browser.newContext({ baseURL: origin });
    dana.totpKey = await setUpPersonWithTotp(setup.request, person.username, person.temporaryPassword);
    await setup.close();
    // A group with access to a project (owned by the Owner: Dana owns nothing, so removing her needs no transfer).
    const group = await callApi<{ id: string }>(owner.context, origin, 'POST', '/groups', { name: 'release-team' });
    await callApi(owner.context, origin, 'PUT', `/groups/${group.id}/members/${dana.id}`);
    projectId = (await callApi<{ id: string }>(owner.context, origin, 'POST', '/projects', { name: 'payments' })).id;
    await callApi(owner.context, origin, 'PUT', `/projects/${projectId}/access/group/${group.id}`, { role: 'reader' });

    rp = await startRelyingParty(origin);
    // A third-party web application (not a loopback IP: Roster asks a native application for consent every time) that
    // may ask the authorization API about the people it signs in.
    const dashboard = {
      name: 'Dashboard',
      redirectUri: `${rp.origin}/dashboard/callback`,
      postLogoutRedirectUri: `${rp.origin}/dashboard/logged-out`,
    };
    const dashboardApp = await registerApplication(db, {
      name: dashboard.name,
      redirectUris: [dashboard.redirectUri],
      postLogoutRedirectUris: [dashboard.postLogoutRedirectUri],
      firstParty: false,
      authorizeApi: true,
    });
    await rp.addClient({ key: 'dashboard', ...dashboard, ...dashboardApp });
    // A first-party application on a loopback IP (a native one, whose consent only first-party spares).
    const ci = { name: 'CI server', redirectUri: `http://127.0.0.1:${rp.port}/ci/callback` };
    const ciApp = await registerApplication(db, { name: ci.name, redirectUris: [ci.redirectUri], firstParty: true, authorizeApi: false });
    await rp.addClient({ key: 'ci', ...ci, ...ciApp });

    danaContext = await browser.newContext({ viewport: laptop });
    danaPage = await danaContext.newPage();
    danaPage.setDefaultTimeout(15_000);
    danaProblems = watchPageProblems(danaPage);
  }, 180_000);

  afterAll(async () => {
    await danaContext?.close();
    await owner?.context.close();
    await browser?.close();
    await rp?.close();
    await db?.destroy();
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('signs a person in with their password and authenticator app, asks for consent, and hands the application their role and groups', async () => {
    const { server, rp } = started();
    const page = danaPage;
    await page.goto(`${rp.origin}/dashboard/login`);
    await page.waitForURL(new RegExp(`^${server.origin}/interaction/[^/]+$`));
    await page.getByRole('heading', { level: 1, name: 'Log in to continue to Dashboard' }).waitFor();
    await checkBothSizes(page, 'oidc-sign-in-login');
    await page.getByLabel('Email or username').fill(dana.username);
    await page.getByLabel('Password', { exact: true }).fill(passwordFor(dana.username));
    await page.getByRole('button', { name: 'Log in' }).click();

    await page.getByRole('heading', { level: 1, name: 'Two-factor authentication' }).waitFor();
    expect(page.url()).toMatch(new RegExp(`^${server.origin}/interaction/`));
    await checkBothSizes(page, 'oidc-sign-in-second-factor');
    // The setup's code is spent: the app's next one (a step of drift is accepted).
    await page.getByRole('textbox', { name: 'Authentication code' }).fill(codeFor(dana.totpKey, 1));
    await page.getByRole('button', { name: 'Verify' }).click();

    const asks = page.getByRole('list', { name: 'What Dashboard asks for' });
    await asks.waitFor();
    expect(await asks.getByRole('listitem').allTextContents()).toEqual([
      'Know who you are',
      'Your username',
      'Your email address',
      'Your instance role and group names',
    ]);
    await page.getByText(`Signed in as ${dana.username}`).waitFor();
    await checkBothSizes(page, 'oidc-sign-in-consent');
    await page.getByRole('button', { name: 'Allow' }).click();

    await page.waitForURL(`${rp.origin}/dashboard/callback?**`);
    await page.getByRole('heading', { name: 'Signed in to Dashboard' }).waitFor();
    expect(await shown(page, '[data-claim="preferred_username"]')).toBe('dana');
    expect(await shown(page, '[data-claim="roster_role"]')).toBe('member');
    expect(await shown(page, '[data-claim="groups"]')).toBe('release-team');
    expect(await shown(page, '[data-claim="sub"]')).toBe(dana.id);
    expect(await shown(page, '[data-refresh-token]')).toBe('has a refresh token');
    expect(danaProblems).toEqual([]);
  }, 120_000);

  it("asks Roster's authorization API what the signed-in person may do, with the application's own token", async () => {
    const { rp } = started();
    const page = danaPage;
    await page.goto(`${rp.origin}/dashboard/check?permission=project.view&projectId=${projectId}`);
    expect(await shown(page, '[data-decision]')).toMatch(/^allowed: /);
    await page.goto(`${rp.origin}/dashboard/check?permission=project.general_settings.manage&projectId=${projectId}`);
    expect(await shown(page, '[data-decision]')).toMatch(/^refused: /);
    await page.goto(`${rp.origin}/dashboard/check?permission=organization.view`);
    expect(await shown(page, '[data-decision]')).toMatch(/^allowed: /);
    await page.goto(`${rp.origin}/dashboard/check?permission=organization.people.view`);
    expect(await shown(page, '[data-decision]')).toMatch(/^refused: /);
  });

  it('signs the same browser in again without a login form or a consent screen', async () => {
    const { server, rp } = started();
    const page = danaPage;
    const visited = recordNavigations(page);
    await page.goto(`${rp.origin}/dashboard/login`);
    await page.waitForURL(`${rp.origin}/dashboard/callback?**`);
    await page.getByRole('heading', { name: 'Signed in to Dashboard' }).waitFor();
    expect(await shown(page, '[data-claim="preferred_username"]')).toBe('dana');
    expect(visited.filter((url) => url.startsWith(`${server.origin}/interaction/`))).toEqual([]);
  });

  it('signs a logged-in person in to a first-party application without asking for consent', async () => {
    const { server, rp } = started();
    const page = danaPage;
    const visited = recordNavigations(page);
    await page.goto(`${rp.origin}/ci/login`);
    await page.waitForURL(`http://127.0.0.1:${rp.port}/ci/callback?**`);
    await page.getByRole('heading', { name: 'Signed in to CI server' }).waitFor();
    expect(await shown(page, '[data-claim="preferred_username"]')).toBe('dana');
    expect(await shown(page, '[data-claim="groups"]')).toBe('release-team');
    expect(visited.filter((url) => url.startsWith(`${server.origin}/interaction/`))).toEqual([]);
    expect(danaProblems).toEqual([]);
  });

  it('takes the application’s access away the moment an Owner removes the person', async () => {
    const { server, rp } = started();
    const page = danaPage;
    // Still in: the refresh token works and the access token is active.
    await page.goto(`${rp.origin}/dashboard/refresh`);
    expect(await shown(page, '[data-outcome]')).toBe('refreshed');
    await page.goto(`${rp.origin}/dashboard/introspect`);
    expect(await shown(page, '[data-outcome]')).toBe('active: true');

    await callApi(owner.context, server.origin, 'DELETE', `/people/${dana.id}`);

    await page.goto(`${rp.origin}/dashboard/refresh`);
    expect(await shown(page, '[data-outcome]')).toMatch(/^invalid_grant: /);
    await page.goto(`${rp.origin}/dashboard/introspect`);
    expect(await shown(page, '[data-outcome]')).toBe('active: false');
    await page.goto(`${rp.origin}/dashboard/check?permission=organization.view`);
    expect(await shown(page, '[data-decision]')).toBe('refused: The account has been removed.');
    await page.goto(`${rp.origin}/dashboard/check?permission=project.view&projectId=${projectId}`);
    expect(await shown(page, '[data-decision]')).toMatch(/^refused: /);
    // And the first-party application's session with her is over too.
    await page.goto(`${rp.origin}/ci/refresh`);
    expect(await shown(page, '[data-outcome]')).toMatch(/^invalid_grant: /);
  });

  it('logs out of Roster when the application sends the person to log out, after asking', async () => {
    const { server, rp } = started();
    // The Owner, logged in to the console: the sign-in uses that session, then asks for consent.
    const { page, context } = owner;
    page.setDefaultTimeout(15_000);
    const problems = watchPageProblems(page);
    const visited = recordNavigations(page);
    const logins: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/v1/auth/login') logins.push(request.url());
    });
    await page.goto(`${rp.origin}/dashboard/login`);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${rp.origin}/dashboard/callback?**`);
    // The console session was the provider's session: the sign-in page went on without a login form.
    expect(visited.some((url) => url.startsWith(`${server.origin}/interaction/`))).toBe(true);
    expect(logins).toEqual([]);
    expect(await shown(page, '[data-claim="preferred_username"]')).toBe(server.owner);
    expect(await shown(page, '[data-claim="roster_role"]')).toBe('owner');

    await page.goto(`${rp.origin}/dashboard/logout`);
    await page.getByRole('heading', { level: 1, name: 'Log out of Roster?' }).waitFor();
    expect(page.url()).toMatch(new RegExp(`^${server.origin}/oidc/session/end`));
    await page.getByText('Dashboard asked to log you out.').waitFor();
    await checkBothSizes(page, 'oidc-sign-in-logout');
    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await page.waitForURL(`${rp.origin}/dashboard/logged-out**`);
    await page.getByRole('heading', { name: 'Logged out of Dashboard' }).waitFor();

    // The console session ended with it.
    expect((await context.request.get(`${server.origin}/api/v1/me`)).status()).toBe(401);
    await page.goto(`${server.origin}/`);
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    expect(problems).toEqual([]);
  }, 60_000);
});

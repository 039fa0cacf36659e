import type { BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBothSizes, laptop } from './support/both-sizes.js';
import { chromiumAvailable, chromiumSkipReason, watchPageProblems } from './support/browser.js';
import { browserSuiteOptions } from './support/browser-suite.js';
import { createPerson, expectAccessible, loginAsFreshOwner, loginInNewContext, ownerPassword } from './support/console-owner.js';
import { useBrowserAndLocalhostServer } from './support/localhost-server.js';

if (!chromiumAvailable) console.warn(`OpenID Connect interaction page browser tests ${chromiumSkipReason}`);

// The console page of an application's sign-in (`/interaction/:uid`, docs/product: Roster as an OpenID Connect
// provider), page by page: the real server serves the console and its own API (login, password change, /me), and only
// the interaction's JSON calls (`/interaction/:uid/details|login|consent|abort`) are answered here, by route
// interception, until the provider's endpoints exist. The full relying-party flow is tested through this page later.

const erinPassword = 'erin chooses a long passphrase 7';
const application = { name: 'CI Server', clientId: 'ci-server', firstParty: false };

interface Details {
  uid: string;
  prompt: 'login' | 'consent';
  application: typeof application;
  scopes: string[];
  account: { id: string; username: string } | null;
  restricted: null | 'password_change' | 'mfa_setup';
}

type Answer = { status: number; body: unknown };

/** A problem+json answer, as the server's error handler writes them. */
function problem(status: number, code: string, detail: string): Answer {
  return { status, body: { type: 'about:blank', title: detail, status, code, detail } };
}

/** What the fake interaction endpoints answer, changed by each test as the flow goes on; and what they received. */
interface FakeInteraction {
  details: Answer;
  /** The answer to POST login / consent / abort (default: a redirect to the application with the action's name). */
  answers: Partial<Record<'login' | 'consent' | 'abort', Answer>>;
  /** Set to hold POST login until the promise settles (to look at the "Signing you in" state). */
  holdLogin: Promise<void> | null;
  posts: { action: string; csrfToken: string | undefined; body: string | null }[];
}

function detailsOf(uid: string, overrides: Partial<Details> = {}): Answer {
  const details: Details = { uid, prompt: 'login', application, scopes: [], account: null, restricted: null, ...overrides };
  return { status: 200, body: details };
}

/** Answers `/interaction/*` JSON calls of `page` from `fake`, and the application's callback with a plain page. */
async function fakeInteractionEndpoints(page: Page, origin: string, fake: FakeInteraction): Promise<void> {
  const fulfil = (route: Route, answer: Answer) =>
    route.fulfill({
      status: answer.status,
      contentType: answer.status < 400 ? 'application/json' : 'application/problem+json',
      body: JSON.stringify(answer.body),
    });
  await page.route('**/interaction/*/details', (route) => fulfil(route, fake.details));
  for (const action of ['login', 'consent', 'abort'] as const) {
    await page.route(`**/interaction/*/${action}`, async (route) => {
      const request = route.request();
      if (request.method() !== 'POST') return route.fallback();
      fake.posts.push({ action, csrfToken: request.headers()['x-csrf-token'], body: request.postData() });
      if (action === 'login' && fake.holdLogin) await fake.holdLogin;
      return fulfil(route, fake.answers[action] ?? { status: 200, body: { redirectTo: `${origin}/rp/callback?after=${action}` } });
    });
  }
  await page.route('**/rp/callback*', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html',
      body: '<!doctype html><html lang="en"><title>CI Server</title><h1>Back at CI Server</h1></html>',
    }),
  );
}

function newFake(uid: string, details: Partial<Details> = {}): FakeInteraction {
  return { details: detailsOf(uid, details), answers: {}, holdLogin: null, posts: [] };
}

/** The CSRF token of the context's session, as `GET /me` gives it to the console. */
async function csrfTokenOf(context: BrowserContext, origin: string): Promise<string> {
  const me = await context.request.get(`${origin}/api/v1/me`);
  return ((await me.json()) as { csrfToken: string }).csrfToken;
}

describe.skipIf(!chromiumAvailable)("An application's sign-in page in the console", browserSuiteOptions, () => {
  const started = useBrowserAndLocalhostServer();
  const contexts: BrowserContext[] = [];
  /** A Member with a temporary password, for the first test's login. */
  let erin = { username: '', temporaryPassword: '' };
  beforeAll(async () => {
    const { server, browser } = started();
    const owner = await loginAsFreshOwner(browser, server, laptop);
    contexts.push(owner.context);
    erin = await createPerson(owner.context, server.origin, 'erin@example.com', 'erin');
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
  });

  it('logs in with the login form, sets a temporary password first, comes back, and signs in with the session', async () => {
    const { server, browser } = started();
    const { origin } = server;
    const context = await browser.newContext({ viewport: laptop });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems = watchPageProblems(page);
    const fake = newFake('uid-login-1');
    await fakeInteractionEndpoints(page, origin, fake);

    await page.goto(`${origin}/interaction/uid-login-1`);
    await page.getByRole('heading', { level: 1, name: 'Log in to continue to CI Server' }).waitFor();
    // The login page's own form: the same fields, and the passkey button on a server with a domain name.
    await page.getByLabel('Email or username').waitFor();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).waitFor();
    expect(await page.title()).toBe('Sign in to CI Server · Roster');
    await checkBothSizes(page, 'oidc-interaction-login');

    // A wrong password is the login page's error, on this page.
    await page.getByLabel('Email or username').fill('erin');
    await page.getByLabel('Password', { exact: true }).fill('not the password at all');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Incorrect email/username or password.' }).waitFor();

    // A temporary password: set a new one first, then back here.
    await page.getByLabel('Password', { exact: true }).fill(erin.temporaryPassword);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Set a new password' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/profile');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/interaction/uid-login-1');
    expect(fake.posts).toEqual([]);

    // From now on the provider sees the console session; hold its answer to look at the "Signing you in" state.
    fake.details = detailsOf('uid-login-1', { account: { id: 'erin-id', username: 'erin' } });
    let release = () => {};
    fake.holdLogin = new Promise((resolve) => {
      release = resolve;
    });
    await page.getByLabel('New password', { exact: true }).fill(erinPassword);
    await page.getByLabel('Confirm new password').fill(erinPassword);
    await page.getByRole('button', { name: 'Set password and continue' }).click();
    await page.getByRole('status').filter({ hasText: 'Signing you in to CI Server…' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/interaction/uid-login-1');
    // The "Password changed" notification would sit in the screenshots.
    await page.getByRole('button', { name: 'Close notification' }).click();
    await page.getByRole('button', { name: 'Close notification' }).waitFor({ state: 'detached' });
    // The spinner turns for ever: the checks pause it before they wait for animations to end.
    await checkBothSizes(page, 'oidc-interaction-signing-in', { pauseAnimations: true });
    release();

    await page.waitForURL(`${origin}/rp/callback?after=login`);
    await page.getByRole('heading', { name: 'Back at CI Server' }).waitFor();
    expect(fake.posts).toHaveLength(1);
    expect(fake.posts[0]).toEqual({ action: 'login', csrfToken: await csrfTokenOf(context, origin), body: '{}' });
    expect(problems).toEqual([]);
  }, 180_000);

  it('goes straight on with a console session after a reload, sending the CSRF token it reads from /me', async () => {
    const { server, browser } = started();
    const { origin } = server;
    const { context, page } = await loginInNewContext(browser, origin, server.owner, ownerPassword);
    contexts.push(context);
    const problems = watchPageProblems(page);
    const fake = newFake('uid-login-2', { account: { id: 'owner-id', username: server.owner } });
    await fakeInteractionEndpoints(page, origin, fake);

    // A new document: the console's memory (and its CSRF token) starts empty, as after the provider's redirect.
    await page.goto(`${origin}/interaction/uid-login-2`);
    await page.waitForURL(`${origin}/rp/callback?after=login`);
    expect(fake.posts).toEqual([{ action: 'login', csrfToken: await csrfTokenOf(context, origin), body: '{}' }]);

    // A login the server refuses (here: not authenticated after all) is read again: the login form.
    const refused = newFake('uid-login-3', { account: { id: 'owner-id', username: server.owner } });
    refused.answers.login = problem(401, 'not_authenticated', 'Log in first.');
    const second = await context.newPage();
    const secondProblems = watchPageProblems(second);
    await fakeInteractionEndpoints(second, origin, refused);
    await second.goto(`${origin}/interaction/uid-login-3`);
    await second.getByRole('alert').filter({ hasText: 'Log in first.' }).waitFor();
    await expectAccessible(second, 'the sign-in page after a refused login');
    refused.details = detailsOf('uid-login-3');
    await second.getByRole('button', { name: 'Try again' }).click();
    await second.getByRole('heading', { level: 1, name: 'Log in to continue to CI Server' }).waitFor();
    expect(refused.posts.map((post) => post.action)).toEqual(['login', 'login']);
    await second.close();

    expect(problems).toEqual([]);
    expect(secondProblems).toEqual([]);
  }, 120_000);

  it('asks for consent in plain words, for the signed-in person, and answers Allow and Deny', async () => {
    const { server, browser } = started();
    const { origin } = server;
    const { context, page } = await loginInNewContext(browser, origin, server.owner, ownerPassword);
    contexts.push(context);
    const problems = watchPageProblems(page);
    const scopes = ['openid', 'profile', 'email', 'roster', 'offline_access', 'roster:api', 'deploy:write'];
    const fake = newFake('uid-consent-1', { prompt: 'consent', scopes, account: { id: 'owner-id', username: server.owner } });
    await fakeInteractionEndpoints(page, origin, fake);

    await page.goto(`${origin}/interaction/uid-consent-1`);
    await page.getByRole('heading', { level: 1, name: 'Sign in to CI Server' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'CI Server wants to' }).waitFor();
    const asked = page.getByRole('list', { name: 'What CI Server asks for' });
    expect(await asked.getByRole('listitem').allTextContents()).toEqual([
      'Know who you are',
      'Your username',
      'Your email address',
      'Your instance role and group names',
      'Stay signed in while you are away',
      "Use Roster's API as you",
      'deploy:write',
    ]);
    await page.getByText(`Signed in as ${server.owner}`, { exact: true }).waitFor();
    await checkBothSizes(page, 'oidc-interaction-consent');

    // An error of the answer is shown in the card; the buttons work again.
    fake.answers.consent = problem(400, 'interaction_not_found', 'The sign-in request was already answered.');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByRole('alert').filter({ hasText: 'The sign-in request was already answered.' }).waitFor();
    await page.getByRole('alert').filter({ hasText: 'Could not allow access' }).waitFor();
    await checkBothSizes(page, 'oidc-interaction-consent-error');

    delete fake.answers.consent;
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${origin}/rp/callback?after=consent`);
    const csrfToken = await csrfTokenOf(context, origin);
    expect(fake.posts.map((post) => post.action)).toEqual(['consent', 'consent']);
    expect(fake.posts.every((post) => post.csrfToken === csrfToken && post.body === '{}')).toBe(true);

    // Deny goes back to the application through abort.
    await page.goto(`${origin}/interaction/uid-consent-1`);
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL(`${origin}/rp/callback?after=abort`);
    expect(fake.posts.at(-1)).toEqual({ action: 'abort', csrfToken, body: '{}' });
    expect(problems).toEqual([]);
  }, 120_000);

  it('sends a restricted session to finish its step first, with a way back to the sign-in', async () => {
    const { server, browser } = started();
    const { origin } = server;
    const { context, page } = await loginInNewContext(browser, origin, server.owner, ownerPassword);
    contexts.push(context);
    const problems = watchPageProblems(page);
    const fake = newFake('uid-restricted-1', { account: { id: 'owner-id', username: server.owner }, restricted: 'mfa_setup' });
    await fakeInteractionEndpoints(page, origin, fake);

    await page.goto(`${origin}/interaction/uid-restricted-1`);
    await page.getByRole('heading', { level: 1, name: 'Set up two-factor authentication first' }).waitFor();
    await page.getByText(`Signed in as ${server.owner}.`, { exact: true }).waitFor();
    const setUp = page.getByRole('link', { name: 'Set up two-factor authentication' });
    expect(await setUp.getAttribute('href')).toBe('/profile?next=%2Finteraction%2Fuid-restricted-1#two-factor');
    await checkBothSizes(page, 'oidc-interaction-restricted-mfa');
    expect(fake.posts).toEqual([]);

    // Profile settings says what the application waits for, next to the 2FA setup.
    await setUp.click();
    const section = page.getByRole('region', { name: 'Two-factor authentication' });
    await section.getByText('An application is waiting for you to sign in').waitFor();
    await expectAccessible(page, 'Profile settings on the way back to a sign-in');

    // A temporary-password session: the set-password step, coming back here.
    fake.details = detailsOf('uid-restricted-1', { account: { id: 'owner-id', username: server.owner }, restricted: 'password_change' });
    await page.goto(`${origin}/interaction/uid-restricted-1`);
    await page.getByRole('heading', { level: 1, name: 'Finish setting your password first' }).waitFor();
    expect(await page.getByRole('link', { name: 'Set your password' }).getAttribute('href')).toBe(
      '/profile?next=%2Finteraction%2Fuid-restricted-1',
    );
    await checkBothSizes(page, 'oidc-interaction-restricted-password');

    // Cancel answers the request with abort; its error is shown first.
    fake.answers.abort = problem(400, 'interaction_not_found', 'The sign-in request was already answered.');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('alert').filter({ hasText: 'Could not cancel' }).waitFor();
    delete fake.answers.abort;
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL(`${origin}/rp/callback?after=abort`);
    expect(fake.posts.map((post) => post.action)).toEqual(['abort', 'abort']);
    expect(problems).toEqual([]);
  }, 120_000);

  it('says when the sign-in request has expired, and Cancel works without a session', async () => {
    const { server, browser } = started();
    const { origin } = server;
    const context = await browser.newContext({ viewport: laptop });
    contexts.push(context);
    const page = await context.newPage();
    const problems = watchPageProblems(page);
    const fake = newFake('uid-expired-1');
    fake.details = problem(404, 'interaction_not_found', 'No such sign-in request.');
    await fakeInteractionEndpoints(page, origin, fake);

    await page.goto(`${origin}/interaction/uid-expired-1`);
    await page.getByRole('heading', { level: 1, name: 'This sign-in request has expired' }).waitFor();
    await page.getByText('Go back to the application and start again.', { exact: true }).waitFor();
    await checkBothSizes(page, 'oidc-interaction-expired');

    // Logged out, Cancel on the login form sends no CSRF token (there is no session) and goes back.
    fake.details = detailsOf('uid-expired-1');
    await page.goto(`${origin}/interaction/uid-expired-1`);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL(`${origin}/rp/callback?after=abort`);
    expect(fake.posts).toEqual([{ action: 'abort', csrfToken: undefined, body: '{}' }]);
    expect(problems).toEqual([]);
  }, 120_000);
});

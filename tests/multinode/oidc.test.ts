import http from 'node:http';
import * as oidcClient from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { type OperationContext, offlineContext, type Services } from '../../src/domain/context.js';
import { openServices } from '../../src/runtime.js';
import { createTestDatabase, postgresAdminUrl, type TestDatabase } from '../support/databases.js';
import { buildMember, factoryPassword } from '../support/factories.js';
import { testSecretKeyEnv } from '../support/mfa.js';
import {
  authorizationRequest,
  discoverRoster,
  followSignIn,
  headerOf,
  insertTestApplication,
  type Jwk,
  signInThroughRoster,
  TestBrowser,
  verifiesAgainst,
} from '../support/oidc.js';
import { freePort, type RunningServer, runRosterAsync, startRoster } from '../support/processes.js';

/**
 * The OpenID Connect provider on two nodes sharing one PostgreSQL database (docs/product/running.md#several-nodes):
 * its state lives in the database, so any node serves any step of a sign-in, and a key rotation reaches both nodes
 * without a restart.
 *
 * Both nodes have the same ROSTER_PUBLIC_URL, as behind a real load balancer: it is the issuer, and every URL the
 * provider builds (discovery, redirects, the `iss` of tokens) comes from it. The test owns that address with a tiny
 * balancer that forwards each request to the node the test picks (`balancer.use(b)`), so the browser and the relying
 * party (openid-client, with ordinary discovery) talk to one issuer while the test decides which node answers each step.
 */
const skipReason = 'skipped: set ROSTER_TEST_DATABASE_URL';
if (!postgresAdminUrl) console.warn(`multinode oidc: ${skipReason}`);

interface Node {
  server: RunningServer;
  /** Where the node itself listens (its own JWKS, bypassing the balancer). */
  address: string;
}

/** A reverse proxy on the public URL whose upstream the test switches between requests. */
function startBalancer(port: number): Promise<{ use(node: Node): void; close(): Promise<void> }> {
  let upstream = '';
  const server = http.createServer((request, response) => {
    const forwarded = http.request(
      new URL(request.url ?? '/', upstream),
      { method: request.method, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forwarded.on('error', () => {
      response.writeHead(502);
      response.end();
    });
    request.pipe(forwarded);
  });
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () =>
      resolve({
        use: (node) => {
          upstream = node.address;
        },
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      }),
    ),
  );
}

describe.skipIf(!postgresAdminUrl)('the OpenID Connect provider on two nodes', () => {
  let database: TestDatabase;
  let publicUrl: string;
  let a: Node;
  let b: Node;
  let balancer: Awaited<ReturnType<typeof startBalancer>>;
  let services: Services;
  const host = { services: null as unknown as Services, cliContext: (): OperationContext => offlineContext(services, 'cli') };

  const startNode = async (env: Record<string, string>): Promise<Node> => {
    const server = await startRoster(env);
    // With a public URL set, the `Open:` line names it; where the node listens is on the line before.
    const address = /listening on (\S+) /.exec(server.output())?.[1];
    if (!address) throw new Error(`no listening line:\n${server.output()}`);
    return { server, address: `http://${address}` };
  };
  const jwksOf = async (node: Node) => ((await (await fetch(`${node.address}/oidc/jwks`)).json()) as { keys: Jwk[] }).keys;

  /** A person logged in to the console (through whichever node the balancer points at) and a first-party application. */
  async function signedInBrowser(username: string, options: { firstParty?: boolean; redirectUri?: string } = {}) {
    await buildMember(host, { username });
    const application = await insertTestApplication(services, {
      firstParty: options.firstParty ?? true,
      redirectUris: [options.redirectUri ?? 'http://127.0.0.1:9/callback'],
    });
    const config = await discoverRoster(publicUrl, application);
    const browser = new TestBrowser(publicUrl);
    await browser.logIn(username, factoryPassword);
    return { application, config, browser };
  }

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    const env = { ROSTER_DATABASE_URL: database.config.url, ROSTER_PUBLIC_URL: publicUrl, ...testSecretKeyEnv };
    a = await startNode(env);
    b = await startNode(env);
    balancer = await startBalancer(port);
    balancer.use(a);
    services = await openServices({ ...loadConfig({ ROSTER_LOG_LEVEL: 'warn', ...testSecretKeyEnv }), database: database.config });
    host.services = services;
  }, 120_000);

  afterAll(async () => {
    await balancer?.close();
    await services?.database.destroy();
    await Promise.all([a?.server.stop(), b?.server.stop()]);
    await database?.drop();
  }, 60_000);

  it('redeems on node B a code that node A issued', async () => {
    balancer.use(a);
    const { application, config, browser } = await signedInBrowser('mn-code-ann');
    const request = await authorizationRequest(config, application);
    const callback = await followSignIn(browser, request.url.href);
    expect(callback.searchParams.get('code')).toBeTruthy();
    balancer.use(b);
    const tokens = await oidcClient.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: request.codeVerifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    expect(tokens.claims()?.preferred_username).toBe('mn-code-ann');
    expect(tokens.claims()?.iss).toBe(publicUrl);
    // The access token B issued is good on A.
    balancer.use(a);
    expect((await oidcClient.fetchUserInfo(config, tokens.access_token, oidcClient.skipSubjectCheck)).preferred_username).toBe(
      'mn-code-ann',
    );
  });

  it('refreshes on node B a refresh token that node A issued, and a reuse on A revokes the grant', async () => {
    balancer.use(a);
    const { application, config, browser } = await signedInBrowser('mn-refresh-bob');
    const { tokens } = await signInThroughRoster(config, browser, application, { scope: 'openid offline_access', consent: false });
    const first = tokens.refresh_token ?? '';
    expect(first).toBeTruthy();
    balancer.use(b);
    const rotated = await oidcClient.refreshTokenGrant(config, first);
    expect(rotated.refresh_token).toBeTruthy();
    expect(rotated.refresh_token).not.toBe(first);
    balancer.use(a);
    await expect(oidcClient.refreshTokenGrant(config, first)).rejects.toMatchObject({ error: 'invalid_grant' });
    balancer.use(b);
    await expect(oidcClient.refreshTokenGrant(config, rotated.refresh_token ?? '')).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('continues on node B the consent step of a sign-in that started on node A', async () => {
    balancer.use(a);
    const { application, config, browser } = await signedInBrowser('mn-consent-cy', {
      firstParty: false,
      redirectUri: 'https://dashboard.example/cb',
    });
    const request = await authorizationRequest(config, application);
    // Node A serves the authorization request and the login step (the console session), and stops at consent.
    const interaction = await followSignIn(browser, request.url.href, { consent: false });
    expect(interaction.pathname).toMatch(/^\/interaction\/[^/]+$/);
    balancer.use(b);
    const details = await browser.fetch(`${interaction.pathname}/details`);
    expect(details.status).toBe(200);
    expect(await details.json()).toMatchObject({ prompt: 'consent', account: { username: 'mn-consent-cy' } });
    const callback = await followSignIn(browser, interaction.href, { consent: true });
    expect(callback.origin).toBe('https://dashboard.example');
    expect(callback.searchParams.get('code')).toBeTruthy();
    balancer.use(a);
    const tokens = await oidcClient.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: request.codeVerifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    expect(tokens.claims()?.preferred_username).toBe('mn-consent-cy');
  });

  it('shows the keys of `roster oidc rotate-keys` in both nodes’ JWKS within about a second, without a restart', async () => {
    balancer.use(a);
    const { application, config, browser } = await signedInBrowser('mn-keys-dee');
    const before = await signInThroughRoster(config, browser, application, { consent: false });
    const oldIdToken = before.tokens.id_token ?? '';
    const oldKid = headerOf(oldIdToken).kid;
    expect((await jwksOf(b))[0]?.kid).toBe(oldKid);

    const rotated = await runRosterAsync(['oidc', 'rotate-keys', '--json'], {
      ROSTER_DATABASE_URL: database.config.url,
      ...testSecretKeyEnv,
    });
    expect(rotated.code, rotated.stderr).toBe(0);
    const rotatedAt = Date.now();
    const newKid = (JSON.parse(rotated.stdout) as { signingKeys: Array<{ id: string }> }).signingKeys[0]?.id;
    // A node checks the key version at most once a second; a bounded poll, no fixed sleep.
    const firstKids = async () => [(await jwksOf(a))[0]?.kid, (await jwksOf(b))[0]?.kid];
    await expect.poll(firstKids, { timeout: 5_000, interval: 100 }).toEqual([newKid, newKid]);
    const seenAfterMs = Date.now() - rotatedAt;
    expect(seenAfterMs).toBeLessThan(2_500);

    for (const node of [a, b]) {
      const keys = await jwksOf(node);
      expect(keys.map((key) => key.kid)).toContain(oldKid);
      expect(verifiesAgainst(oldIdToken, keys)).toBe(true);
    }
    balancer.use(b);
    const after = await signInThroughRoster(config, browser, application, { consent: false });
    expect(headerOf(after.tokens.id_token ?? '').kid).toBe(newKid);
  });
});

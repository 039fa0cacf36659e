import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidcClient from 'openid-client';

// A relying party as small as a real one can be: another web application, started in the test process, that signs
// people in through Roster with openid-client (code flow, PKCE S256, a client secret), keeps the tokens in memory and
// prints what it learned on plain HTML pages a browser test can read. It asks Roster's authorization API about the
// person it signed in with a client-credentials token of its own (docs/oidc.md, docs/api-tokens.md).

/** One application registered in Roster, as this relying party is configured for it. */
export interface RelyingPartyClient {
  /** The first path segment of its routes here: `/<key>/login`, `/<key>/callback`. */
  key: string;
  name: string;
  clientId: string;
  secret: string;
  /** Where Roster sends the browser back; must be one of the application's registered redirect URIs. */
  redirectUri: string;
  /** A registered post-logout redirect URI, when the application logs people out through Roster. */
  postLogoutRedirectUri?: string;
}

interface SignedIn {
  tokens: oidcClient.TokenEndpointResponse & oidcClient.TokenEndpointResponseHelpers;
  claims: oidcClient.IDToken;
}

interface PendingSignIn {
  key: string;
  codeVerifier: string;
  nonce: string;
}

export interface RelyingParty {
  /** `http://localhost:<port>`: the address the browser uses. */
  origin: string;
  /** The port it listens on (on 127.0.0.1), for redirect URIs. */
  port: number;
  /** Configures it for one more application (discovery at Roster). */
  addClient(client: RelyingPartyClient): Promise<void>;
  /** The latest sign-in of each client, by key. */
  signedIn(key: string): SignedIn | undefined;
  close(): Promise<void>;
}

const scope = 'openid profile email roster';

function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main>${body}</main></body></html>`;
}

/** An error of openid-client as the page prints it: the OAuth error code when the server answered one. */
function describeError(error: unknown): string {
  if (error instanceof oidcClient.ResponseBodyError) return `${error.error}: ${error.error_description ?? ''}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Starts the relying party on a free loopback port against the Roster whose issuer is `issuer` (discovery over plain
 * HTTP: loopback in tests); `addClient` then configures it for each application. Its routes, for each client `<key>`:
 * - `/<key>/login` sends the browser to Roster; `/<key>/callback` redeems the code and prints the ID token's claims;
 * - `/<key>/refresh` uses the refresh token; `/<key>/introspect` asks Roster whether the access token is active;
 * - `/<key>/logout` sends the browser to Roster's end-session endpoint; `/<key>/logged-out` is where it comes back;
 * - `/<key>/check?permission=…&projectId=…` asks `POST /api/v1/authorize` about the signed-in person.
 */
export async function startRelyingParty(issuer: string): Promise<RelyingParty> {
  const clients: RelyingPartyClient[] = [];
  const configs = new Map<string, oidcClient.Configuration>();
  const pending = new Map<string, PendingSignIn>();
  const sessions = new Map<string, SignedIn>();
  let origin = '';

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    const [, key = '', action = ''] = url.pathname.split('/');
    const client = clients.find((candidate) => candidate.key === key);
    const config = configs.get(key);
    const send = (status: number, html: string) => {
      response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(html);
    };
    const redirect = (location: string) => {
      response.writeHead(302, { location, 'cache-control': 'no-store' });
      response.end();
    };
    if (!client || !config) return send(404, page('Not found', '<h1>Not found</h1>'));
    const session = sessions.get(key);

    switch (action) {
      case 'login': {
        const codeVerifier = oidcClient.randomPKCECodeVerifier();
        const state = oidcClient.randomState();
        const nonce = oidcClient.randomNonce();
        pending.set(state, { key, codeVerifier, nonce });
        const target = oidcClient.buildAuthorizationUrl(config, {
          redirect_uri: client.redirectUri,
          scope,
          code_challenge: await oidcClient.calculatePKCECodeChallenge(codeVerifier),
          code_challenge_method: 'S256',
          state,
          nonce,
        });
        return redirect(target.href);
      }
      case 'callback': {
        const state = url.searchParams.get('state') ?? '';
        const started = pending.get(state);
        if (url.searchParams.has('error') || !started || started.key !== key) {
          const error = url.searchParams.get('error') ?? 'unknown state';
          return send(400, page(`${client.name}: not signed in`, `<h1>Not signed in</h1><p data-error>${escapeHtml(error)}</p>`));
        }
        pending.delete(state);
        // Roster redirects to the registered URI; the code is redeemed with the exact URI it was sent to.
        const current = new URL(client.redirectUri);
        current.search = url.search;
        const tokens = await oidcClient.authorizationCodeGrant(config, current, {
          pkceCodeVerifier: started.codeVerifier,
          expectedState: state,
          expectedNonce: started.nonce,
        });
        const claims = tokens.claims();
        if (!claims) throw new Error('no ID token');
        sessions.set(key, { tokens, claims });
        const groups = Array.isArray(claims.groups) ? (claims.groups as string[]) : [];
        return send(
          200,
          page(
            `${client.name}: signed in`,
            `<h1>Signed in to ${escapeHtml(client.name)}</h1><dl>
<dt>preferred_username</dt><dd data-claim="preferred_username">${escapeHtml(claims.preferred_username)}</dd>
<dt>roster_role</dt><dd data-claim="roster_role">${escapeHtml(claims.roster_role)}</dd>
<dt>groups</dt><dd data-claim="groups">${escapeHtml(groups.join(', '))}</dd>
<dt>sub</dt><dd data-claim="sub">${escapeHtml(claims.sub)}</dd>
</dl><p data-refresh-token>${tokens.refresh_token ? 'has a refresh token' : 'no refresh token'}</p>`,
          ),
        );
      }
      case 'refresh': {
        if (!session?.tokens.refresh_token) return send(409, page('No session', '<h1>Nobody is signed in</h1>'));
        try {
          const tokens = await oidcClient.refreshTokenGrant(config, session.tokens.refresh_token);
          sessions.set(key, { tokens, claims: tokens.claims() ?? session.claims });
          return send(200, page('Refreshed', '<h1>Refreshed</h1><p data-outcome>refreshed</p>'));
        } catch (error) {
          return send(200, page('Refresh failed', `<h1>Refresh failed</h1><p data-outcome>${escapeHtml(describeError(error))}</p>`));
        }
      }
      case 'introspect': {
        if (!session) return send(409, page('No session', '<h1>Nobody is signed in</h1>'));
        const answer = await oidcClient.tokenIntrospection(config, session.tokens.access_token);
        return send(200, page('Introspection', `<h1>Introspection</h1><p data-outcome>active: ${answer.active}</p>`));
      }
      case 'check': {
        if (!session) return send(409, page('No session', '<h1>Nobody is signed in</h1>'));
        // The application's own token for the authorization API, naming the person it signed in.
        const grant = await oidcClient.clientCredentialsGrant(config, { scope: 'roster:authorize' });
        const permission = url.searchParams.get('permission') ?? '';
        const projectId = url.searchParams.get('projectId');
        const answer = await fetch(new URL('/api/v1/authorize', issuer), {
          method: 'POST',
          headers: { authorization: `Bearer ${grant.access_token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ permission, userId: session.claims.sub, ...(projectId ? { projectId } : {}) }),
        });
        const text = await answer.text();
        let decision = `HTTP ${answer.status}: ${text}`;
        if (answer.ok) {
          const body = JSON.parse(text) as { allowed: boolean; reason: string };
          decision = `${body.allowed ? 'allowed' : 'refused'}: ${body.reason}`;
        }
        return send(
          200,
          page(
            'Authorization check',
            `<h1>May ${escapeHtml(session.claims.preferred_username)} do ${escapeHtml(permission)}?</h1><p data-decision>${escapeHtml(decision)}</p>`,
          ),
        );
      }
      case 'logout': {
        if (!session || !client.postLogoutRedirectUri) return send(409, page('No session', '<h1>Nobody is signed in</h1>'));
        const idToken = session.tokens.id_token;
        sessions.delete(key);
        return redirect(
          oidcClient.buildEndSessionUrl(config, {
            post_logout_redirect_uri: client.postLogoutRedirectUri,
            ...(idToken ? { id_token_hint: idToken } : {}),
          }).href,
        );
      }
      case 'logged-out':
        return send(200, page(`${client.name}: logged out`, `<h1>Logged out of ${escapeHtml(client.name)}</h1>`));
      default:
        return send(404, page('Not found', '<h1>Not found</h1>'));
    }
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/html; charset=utf-8' });
      response.end(page('Error', `<h1>Relying party error</h1><p data-error>${escapeHtml(describeError(error))}</p>`));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // `localhost`, not the IP: Roster treats an application whose redirect URIs are all loopback IPs as a native one.
  const { port } = server.address() as AddressInfo;
  origin = `http://localhost:${port}`;
  return {
    origin,
    port,
    async addClient(client) {
      const auth = oidcClient.ClientSecretBasic(client.secret);
      const config = await oidcClient.discovery(new URL(issuer), client.clientId, client.secret, auth, {
        execute: [oidcClient.allowInsecureRequests],
      });
      clients.push(client);
      configs.set(client.key, config);
    },
    signedIn: (key) => sessions.get(key),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

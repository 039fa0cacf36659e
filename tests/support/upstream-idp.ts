import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Configuration, Provider } from 'oidc-provider';

/**
 * The company's identity provider in tests (SPEC §12.2: "a real provider started in the test process"): a real
 * `oidc-provider` on a loopback port, standing in for Keycloak, Entra ID or Okta. One confidential client (Roster),
 * accounts the test configures, and a tiny interaction page:
 *
 * - `GET /interaction/:uid` shows a form (a "Username" field named `login` and a **Sign in** button) whose POST logs
 *   that account in — what the Chromium tests use;
 * - with `idp.nextLogin = 'alice'`, the same GET logs `alice` in at once (once), so API tests can walk the redirects
 *   with fetch and a cookie jar;
 * - the consent step is answered at once: the company's provider trusts Roster.
 */

export interface UpstreamAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  preferred_username?: string;
  groups?: string[];
  /** Authentication methods of the login (RFC 8176), e.g. `['pwd', 'mfa']`; `['pwd']` when absent. */
  amr?: string[];
  /** Any further claim (a custom username or groups claim name). */
  [claim: string]: unknown;
}

export interface UpstreamIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Accounts by the login name typed in the form (or set in `nextLogin`). */
  accounts: Map<string, UpstreamAccount>;
  /** Programmatic mode: the next interaction logs this account in without a form. */
  nextLogin: string | null;
  /** The redirect URIs the client accepts (add Roster's callback of the provider under test). */
  redirectUris: string[];
  /** The path of every request this provider received, in order (without the query). */
  requests: string[];
  /** The provider library itself, for tests that need more. */
  provider: Provider;
  close(): Promise<void>;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function loginPage(uid: string, clientId: string, error: string | null): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Company SSO — sign in</title></head>
<body><main>
<h1>Company SSO</h1>
<p>Sign in to continue to ${escapeHtml(clientId)}.</p>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}">
<label for="login">Username</label>
<input id="login" name="login" autocomplete="username" required autofocus>
<button type="submit">Sign in</button>
</form>
</main></body></html>`;
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * A minimal in-memory storage for the library (sessions, interactions, codes, grants), with a `Client` model that
 * answers Roster's client from `idp.redirectUris` as they are now: Roster's callback address names the provider's id,
 * known only once it is registered, after this provider started.
 */
function memoryAdapter(client: () => Record<string, unknown>) {
  const store = new Map<string, { payload: Record<string, unknown>; expiresAt: number | null }>();
  const live = (key: string) => {
    const entry = store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry.payload;
  };
  return class MemoryAdapter {
    constructor(readonly model: string) {}
    key(id: string) {
      return `${this.model}:${id}`;
    }
    async upsert(id: string, payload: Record<string, unknown>, expiresIn?: number) {
      store.set(this.key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : null });
      if (typeof payload.uid === 'string') store.set(`${this.model}:uid:${payload.uid}`, { payload: { id }, expiresAt: null });
      if (typeof payload.userCode === 'string') store.set(`${this.model}:user:${payload.userCode}`, { payload: { id }, expiresAt: null });
    }
    async find(id: string) {
      if (this.model === 'Client') return id === client().client_id ? client() : undefined;
      return live(this.key(id));
    }
    async findByUid(uid: string) {
      const ref = live(`${this.model}:uid:${uid}`);
      return typeof ref?.id === 'string' ? live(this.key(ref.id)) : undefined;
    }
    async findByUserCode(userCode: string) {
      const ref = live(`${this.model}:user:${userCode}`);
      return typeof ref?.id === 'string' ? live(this.key(ref.id)) : undefined;
    }
    async consume(id: string) {
      const payload = live(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      store.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const [key, entry] of store) if (entry.payload.grantId === grantId) store.delete(key);
    }
  };
}

/** Starts the stand-in provider on a loopback port (`port` when given, so its issuer can be registered first). */
export async function startUpstreamIdp(options: { port?: number; redirectUris?: string[] } = {}): Promise<UpstreamIdp> {
  const { default: ProviderClass } = await import('oidc-provider');
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'roster';
  const clientSecret = `upstream-${randomBytes(16).toString('hex')}`;
  const accounts = new Map<string, UpstreamAccount>();
  const idp = {
    issuer,
    clientId,
    clientSecret,
    accounts,
    nextLogin: null as string | null,
    redirectUris: [...(options.redirectUris ?? [])],
    requests: [] as string[],
  };
  const bySub = (sub: string) => [...accounts.values()].find((account) => account.sub === sub);

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'upstream-1', alg: 'RS256', use: 'sig' };
  const configuration: Configuration = {
    adapter: memoryAdapter(() => ({
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: idp.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })) as never,
    findAccount: async (_ctx, sub) => {
      const account = bySub(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        // Everything the account has, in the ID token and at UserInfo: like a provider with mappers for these claims.
        claims: async () => {
          const { amr: _amr, ...claims } = account;
          return claims as { sub: string };
        },
      };
    },
    claims: {
      // The login's authentication methods (RFC 8176) go into every ID token, as Entra ID and Okta do.
      openid: ['sub', 'amr'],
      email: ['email', 'email_verified'],
      profile: ['preferred_username', 'name'],
      groups: ['groups'],
    },
    scopes: ['openid', 'email', 'profile', 'groups'],
    conformIdTokenClaims: false,
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    pkce: { required: () => true },
    jwks: { keys: [jwk as never] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    features: { devInteractions: { enabled: false }, userinfo: { enabled: true } },
  };
  const provider = new ProviderClass(issuer, configuration);
  const providerCallback = provider.callback();

  /** Finishes the step the interaction waits for: the login of `login`, or the consent (a grant of what was asked). */
  async function finish(req: http.IncomingMessage, res: http.ServerResponse, login: string | null): Promise<boolean> {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      const account = login ? accounts.get(login) : undefined;
      if (!account) return false;
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: account.sub, amr: account.amr ?? ['pwd'] } },
        { mergeWithLastSubmission: false },
      );
      return true;
    }
    const accountId = details.session?.accountId;
    if (!accountId) return false;
    const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope ?? 'openid'));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return true;
  }

  server.on('request', (req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    idp.requests.push(path);
    const match = /^\/interaction\/([A-Za-z0-9_-]+)$/.exec(path);
    if (!match?.[1]) {
      providerCallback(req, res);
      return;
    }
    const uid = match[1];
    const handle = async () => {
      if (req.method === 'POST') {
        const login = (await readForm(req)).get('login')?.trim() ?? '';
        if (await finish(req, res, login)) return;
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(loginPage(uid, clientId, `No account is called "${login}".`));
        return;
      }
      const details = await provider.interactionDetails(req, res);
      const login = idp.nextLogin;
      if (details.prompt.name !== 'login' || login) {
        if (details.prompt.name === 'login') idp.nextLogin = null;
        if (await finish(req, res, login)) return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(uid, String(details.params.client_id), null));
    };
    handle().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`interaction failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  });

  return Object.assign(idp, {
    provider,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

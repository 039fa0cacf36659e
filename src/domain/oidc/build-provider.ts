import type Provider from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { findApplicationByClientId, findOidcConsent } from '../../storage/queries/applications.js';
import { recordAuditFailure } from '../audit/record-audit-event.js';
import type { Services } from '../context.js';
import { allScopes } from './client-metadata.js';
import { clientSecretDigestMatches } from './client-secret-check.js';
import { claimsByScope, eligibleForApplication, findOidcAccount } from './oidc-accounts.js';
import { createProviderAdapter } from './provider-adapter.js';
import type { ProviderKeys } from './provider-keys.js';
import { loggedOutPage, logoutQuestionPage, providerErrorPage } from './provider-pages.js';
import { applicationCaller, providerContext } from './request-scope.js';

/** Where the provider's endpoints live (discovery stays at the issuer's `/.well-known/openid-configuration`). */
export const providerRoutes = {
  authorization: '/oidc/auth',
  token: '/oidc/token',
  userinfo: '/oidc/me',
  jwks: '/oidc/jwks',
  end_session: '/oidc/session/end',
  revocation: '/oidc/token/revocation',
  introspection: '/oidc/token/introspection',
  pushed_authorization_request: '/oidc/request',
  code_verification: '/oidc/device',
  device_authorization: '/oidc/device/auth',
  backchannel_authentication: '/oidc/backchannel',
  challenge: '/oidc/challenge',
  registration: '/oidc/reg',
} as const;

/** The console page of a sign-in in progress; its JSON steps live below it (the interaction cookie's path). */
export const interactionPath = (uid: string) => `/interaction/${uid}`;

/**
 * The library's login and consent steps, with one change: a native application (loopback redirect URIs) asks for
 * consent at every sign-in as RFC 8252 advises (anyone can claim a loopback port), unless an Owner made it first-party.
 */
function rosterInteractionPolicy(interactionPolicy: Library['interactionPolicy']) {
  const policy = interactionPolicy.base();
  const consent = policy.get('consent');
  if (!consent) throw new Error('the consent prompt is missing from the library policy');
  consent.checks.remove('native_client_prompt');
  consent.checks.add(
    new interactionPolicy.Check('native_client_prompt', 'native clients require End-User interaction', 'interaction_required', (ctx) => {
      const { oidc } = ctx;
      const firstParty = (oidc.client?.metadata() as { roster_first_party?: boolean } | undefined)?.roster_first_party === true;
      const native = oidc.client?.applicationType === 'native' && !firstParty && !oidc.result?.consent;
      return native ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT;
    }),
    0,
  );
  return policy;
}

/** The issuer: ROSTER_PUBLIC_URL without its trailing slash. */
export function issuerOf(services: Services): string {
  return services.config.publicUrl.href.replace(/\/$/, '');
}

/**
 * The OpenID Connect provider (docs/oidc.md, docs/decisions/0024): the certified `oidc-provider` library configured to
 * §12.1 — code flow with PKCE S256 for every client, rotating refresh tokens, client credentials for the
 * authorization API, introspection of one's own tokens only, revocation, RP-initiated logout; no implicit flow, no
 * password grant, no HS* signing, no `client_secret_jwt`. Its state lives in the database (provider-adapter.ts).
 */
/** The library, loaded when the provider is first used: importing it costs start-up time and, on Node 20, a warning. */
type Library = typeof import('oidc-provider');

export async function buildProvider(services: Services, keys: ProviderKeys): Promise<Provider> {
  const library: Library = await import('oidc-provider');
  const { interactionPolicy } = library;
  const secure = services.config.publicUrl.protocol === 'https:';
  const adapter = createProviderAdapter(services, library.errors, async (model, grantId, clientId) => {
    await recordAuditFailure(providerContext(services, await applicationCaller(services, clientId)), {
      action: 'oidc.refresh_reuse_detected',
      details: { kind: model === 'RefreshToken' ? 'refresh_token' : 'authorization_code', grantId: grantId ?? null, concurrent: true },
    });
  });

  const configuration: Configuration = {
    adapter,
    clients: [],
    findAccount: (ctx, sub) => findOidcAccount(services, sub, ctx.oidc.client?.clientId),
    claims: Object.fromEntries(Object.entries(claimsByScope).map(([scope, claims]) => [scope, [...claims]])),
    scopes: [...allScopes],
    conformIdTokenClaims: false,
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post'],
    enabledJWA: {
      idTokenSigningAlgValues: ['ES256', 'RS256'],
      userinfoSigningAlgValues: ['ES256', 'RS256'],
      introspectionSigningAlgValues: ['ES256', 'RS256'],
      authorizationSigningAlgValues: ['ES256', 'RS256'],
      requestObjectSigningAlgValues: ['ES256', 'RS256'],
      clientAuthSigningAlgValues: ['ES256', 'RS256'],
    },
    responseTypes: ['code'],
    pkce: { required: () => true },
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    allowOmittingSingleRegisteredRedirectUri: false,
    cookies: {
      keys: keys.cookies,
      long: { signed: true, httpOnly: true, sameSite: 'lax', secure },
      short: { signed: true, httpOnly: true, sameSite: 'lax', secure },
    },
    jwks: { keys: keys.signing as never },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      ClientCredentials: 600,
      IdToken: 3600,
      Interaction: 600,
      Session: services.config.sessionMaxHours * 3600,
      Grant: 30 * 24 * 3600,
      RefreshToken: 30 * 24 * 3600,
    },
    routes: providerRoutes,
    interactions: { url: (_ctx, interaction) => interactionPath(interaction.uid), policy: rosterInteractionPolicy(interactionPolicy) },
    extraClientMetadata: { properties: ['roster_first_party'] },
    features: {
      devInteractions: { enabled: false },
      introspection: {
        enabled: true,
        // A client may introspect only its own tokens.
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = logoutQuestionPage(form, ctx.oidc.client?.clientName ?? null);
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = loggedOutPage(ctx.oidc.client?.clientName ?? null);
        },
      },
    },
    // A browser in a single-page application may call the token endpoint from the origin of a redirect URI.
    clientBasedCORS: (_ctx, origin, client) => client.redirectUris?.some((uri) => new URL(uri).origin === origin) ?? false,
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = providerErrorPage(out as unknown as Record<string, unknown>);
    },
    loadExistingGrant: async (ctx) => {
      const clientId = ctx.oidc.client?.clientId;
      const accountId = ctx.oidc.session?.accountId;
      if (!clientId || !accountId || !ctx.oidc.session) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(clientId);
      if (grantId) {
        const grant = await ctx.oidc.provider.Grant.find(grantId);
        if (grant) return grant;
      }
      // A first-party application needs no consent; a third-party one is skipped only when the person already
      // consented to every scope it asks for now (remembered until revoked in Profile → Applications).
      const application = await findApplicationByClientId(services.database, clientId);
      if (!application) return undefined;
      const requested = [...ctx.oidc.requestParamOIDCScopes];
      const consented = application.first_party === 1 ? requested : await findOidcConsent(services.database.db, accountId, application.id);
      if (!consented || !requested.every((scope) => consented.includes(scope))) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId });
      grant.addOIDCScope(requested.join(' '));
      await grant.save();
      return grant;
    },
  };

  const provider = new library.Provider(issuerOf(services), configuration);
  provider.proxy = true;

  // Roster keeps only the digest of a client secret: the comparison is Roster's own constant-time digest check.
  provider.Client.prototype.compareClientSecret = async function compareClientSecret(this: { clientId: string }, actual: string) {
    return clientSecretDigestMatches(services, this.clientId, actual);
  };

  // Introspection checks eligibility again: a person who was removed or left the application's groups is inactive at
  // the very next call, whatever the token's lifetime says.
  provider.use(async (ctx, next) => {
    await next();
    const oidc = (ctx as KoaContextWithOIDC).oidc;
    const body = ctx.body as { active?: boolean; sub?: string; client_id?: string } | undefined;
    if (oidc?.route === 'introspection' && body?.active && body.sub && body.client_id) {
      if (!(await eligibleForApplication(services, body.sub, body.client_id))) ctx.body = { active: false };
    }
  });
  return provider;
}

import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { loadAccessSubject } from '../access/load-access-subject.js';
import { recordAuditEvent, recordAuditFailure } from '../audit/record-audit-event.js';
import { logOut } from '../auth/log-out.js';
import { accountCaller, type Caller, type Services } from '../context.js';
import { applicationCaller, oidcRequestScope, providerContext } from './request-scope.js';

async function personCaller(services: Services, accountId: string | undefined): Promise<Caller> {
  const subject = accountId ? await loadAccessSubject(services.database, accountId) : null;
  return subject ? accountCaller(subject) : { kind: 'system' };
}

/**
 * What the provider does that the audit log records (docs/oidc.md#audit): a person authorized an application
 * (`oidc.authorized`), a client revoked a token (`oidc.token_revoked`), a code or refresh token came back a second
 * time (`oidc.refresh_reuse_detected`: the library revokes the whole grant). Logging out through an application
 * (RP-initiated logout) ends the Roster console session too: the console session is the provider's session.
 */
export function watchProviderEvents(provider: Provider, services: Services): void {
  provider.on('authorization.success', (ctx: KoaContextWithOIDC) => {
    const accountId = ctx.oidc.session?.accountId;
    const client = ctx.oidc.client;
    void (async () => {
      const caller = await personCaller(services, accountId);
      const context = providerContext(services, caller);
      await context.database.transact((trx) =>
        recordAuditEvent(context, trx, {
          action: 'oidc.authorized',
          target: { type: 'user', id: accountId ?? null, name: caller.kind === 'user' ? caller.subject.username : null },
          details: {
            application: client?.clientName ?? null,
            clientId: client?.clientId ?? null,
            scopes: [...(ctx.oidc.grant?.getOIDCScopeFiltered(ctx.oidc.requestParamOIDCScopes) ?? '').split(' ')].filter(Boolean),
          },
        }),
      );
    })().catch((error: unknown) => ctx.app.emit('error', error));
  });

  provider.on('grant.revoked', (ctx: KoaContextWithOIDC, grantId: string) => {
    if (ctx.oidc.route !== 'token') return;
    const clientId = ctx.oidc.client?.clientId;
    const kind = ctx.oidc.params?.grant_type === 'refresh_token' ? 'refresh_token' : 'authorization_code';
    void (async () => {
      await recordAuditFailure(providerContext(services, await applicationCaller(services, clientId)), {
        action: 'oidc.refresh_reuse_detected',
        details: { kind, grantId, concurrent: false },
      });
    })().catch((error: unknown) => ctx.app.emit('error', error));
  });

  provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
    const digest = oidcRequestScope.getStore()?.rosterSessionDigest;
    const accountId = ctx.oidc.session?.accountId;
    if (!digest) return;
    void (async () => {
      await logOut(providerContext(services, await personCaller(services, accountId)), digest);
    })().catch((error: unknown) => ctx.app.emit('error', error));
  });

  // Token revocation by a client: one event per revoked token (the token itself never reaches the log). A
  // client-credentials token issued to an application that may ask the authorization API about anyone: the
  // application acts from then on (its /authorize calls, which audit nobody's reads, are covered by this event).
  provider.use(async (ctx, next) => {
    await next();
    const oidc = (ctx as KoaContextWithOIDC).oidc;
    if (oidc?.route === 'token' && ctx.status === 200 && oidc.client && oidc.params?.grant_type === 'client_credentials') {
      await recordAuditFailure(providerContext(services, await applicationCaller(services, oidc.client.clientId)), {
        action: 'oidc.client_credentials_issued',
        outcome: 'success',
        details: { scope: (ctx.body as { scope?: string } | undefined)?.scope ?? null },
      });
      return;
    }
    if (oidc?.route !== 'revocation' || ctx.status !== 200 || !oidc.client) return;
    const hint = (oidc.params?.token_type_hint as string | undefined) ?? null;
    await recordAuditFailure(providerContext(services, await applicationCaller(services, oidc.client.clientId)), {
      action: 'oidc.token_revoked',
      outcome: 'success',
      details: { tokenTypeHint: hint, reason: 'revoked_by_application' },
    });
  });
}

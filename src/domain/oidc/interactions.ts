import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InteractionResults } from 'oidc-provider';
import { findApplicationByClientId, findOidcConsent, saveOidcConsent } from '../../storage/queries/applications.js';
import type { AccessSubject } from '../access/authorize.js';
import { mayUseApplication } from '../access/policies/application-policy.js';
import { mustSetUpMfa } from '../access/policies/mfa-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import type { LiveProvider } from './provider-host.js';

/** The HTTP exchange the provider binds an interaction to (its cookie, Path=/interaction/<uid>). */
export interface InteractionExchange {
  req: IncomingMessage;
  res: ServerResponse;
}

export interface InteractionView {
  uid: string;
  prompt: 'login' | 'consent';
  application: { name: string; clientId: string; firstParty: boolean };
  scopes: string[];
  account: { id: string; username: string } | null;
  restricted: 'password_change' | 'mfa_setup' | null;
}

async function detailsOf(live: LiveProvider, exchange: InteractionExchange) {
  try {
    return await live.provider.interactionDetails(exchange.req, exchange.res);
  } catch (error) {
    // The library's SessionNotFound: no interaction cookie, or its interaction expired.
    if (error instanceof Error && error.name === 'SessionNotFound') {
      throw new DomainError('interaction_not_found', 'This sign-in request has expired or was started in another browser.');
    }
    throw error;
  }
}

async function applicationOf(ctx: OperationContext, clientId: unknown) {
  const application = typeof clientId === 'string' ? await findApplicationByClientId(ctx.database, clientId) : undefined;
  if (!application) throw new DomainError('interaction_not_found', 'The application of this sign-in request no longer exists.');
  return application;
}

function restrictionOf(subject: AccessSubject, now: Date): InteractionView['restricted'] {
  if (subject.restricted) return 'password_change';
  return mustSetUpMfa(subject, now) ? 'mfa_setup' : null;
}

/** What the sign-in page shows: which step, for which application, and who is logged in to the console. */
export async function describeInteraction(
  ctx: OperationContext,
  live: LiveProvider,
  exchange: InteractionExchange,
  subject: AccessSubject | null,
): Promise<InteractionView> {
  const details = await detailsOf(live, exchange);
  const application = await applicationOf(ctx, details.params.client_id);
  const requested = String(details.params.scope ?? '')
    .split(' ')
    .filter(Boolean);
  const missing = (details.prompt.details.missingOIDCScope as string[] | undefined) ?? requested;
  return {
    uid: details.uid,
    prompt: details.prompt.name === 'consent' ? 'consent' : 'login',
    application: { name: application.name, clientId: application.client_id, firstParty: application.first_party === 1 },
    scopes: details.prompt.name === 'consent' ? missing : requested,
    account: subject ? { id: subject.userId, username: subject.username } : null,
    restricted: subject ? restrictionOf(subject, ctx.now()) : null,
  };
}

async function finish(live: LiveProvider, exchange: InteractionExchange, result: InteractionResults): Promise<{ redirectTo: string }> {
  const redirectTo = await live.provider.interactionResult(exchange.req, exchange.res, result, { mergeWithLastSubmission: false });
  return { redirectTo };
}

/** The interaction, which must be waiting for `step`, and its application. */
async function waitingStep(ctx: OperationContext, live: LiveProvider, exchange: InteractionExchange, step: 'login' | 'consent') {
  const details = await detailsOf(live, exchange);
  if (details.prompt.name !== step)
    throw new DomainError('validation_failed', `This sign-in request is not waiting for ${step === 'login' ? 'a login' : 'consent'}.`);
  return { details, application: await applicationOf(ctx, details.params.client_id) };
}

/**
 * The login step, answered by the console session (the console session is the provider's session: a person logged
 * in to Roster is not asked again). A person the application does not admit (its groups) goes back to it with
 * `access_denied`.
 */
export async function finishLoginStep(
  ctx: OperationContext,
  live: LiveProvider,
  exchange: InteractionExchange,
  subject: AccessSubject,
): Promise<{ redirectTo: string }> {
  const { application } = await waitingStep(ctx, live, exchange, 'login');
  if (!mayUseApplication(subject, application)) {
    return finish(live, exchange, {
      error: 'access_denied',
      error_description: `${subject.username} is not allowed to sign in to ${application.name}.`,
    });
  }
  return finish(live, exchange, { login: { accountId: subject.userId } });
}

/** The consent step: the scopes asked for are granted and remembered for the person and the application. */
export async function giveConsent(
  ctx: OperationContext,
  live: LiveProvider,
  exchange: InteractionExchange,
  subject: AccessSubject,
): Promise<{ redirectTo: string }> {
  const { details, application } = await waitingStep(ctx, live, exchange, 'consent');
  if (details.session?.accountId !== subject.userId) throw new DomainError('forbidden', 'This sign-in request belongs to another person.');
  const { Grant } = live.provider;
  const grant = details.grantId
    ? ((await Grant.find(details.grantId)) ?? new Grant({ accountId: subject.userId, clientId: application.client_id }))
    : new Grant({ accountId: subject.userId, clientId: application.client_id });
  const missingScopes = (details.prompt.details.missingOIDCScope as string[] | undefined) ?? [];
  if (missingScopes.length > 0) grant.addOIDCScope(missingScopes.join(' '));
  const missingClaims = details.prompt.details.missingOIDCClaims as string[] | undefined;
  if (missingClaims) grant.addOIDCClaims(missingClaims);
  const grantId = await grant.save();
  const now = ctx.now().toISOString();
  await ctx.database.transact(async (trx) => {
    const before = (await findOidcConsent(trx, subject.userId, application.id)) ?? [];
    const scopes = [
      ...new Set([
        ...before,
        ...String(details.params.scope ?? '')
          .split(' ')
          .filter(Boolean),
      ]),
    ];
    await saveOidcConsent(trx, subject.userId, application.id, scopes, now);
    await recordAuditEvent(ctx, trx, {
      action: 'oidc.consent_given',
      target: { type: 'user', id: subject.userId, name: subject.username },
      details: { application: application.name, clientId: application.client_id, scopes },
    });
  });
  return finish(live, exchange, { consent: { grantId } });
}

/** Cancel or Deny: back to the application with `access_denied`. */
export async function abortInteraction(live: LiveProvider, exchange: InteractionExchange): Promise<{ redirectTo: string }> {
  await detailsOf(live, exchange);
  return finish(live, exchange, { error: 'access_denied', error_description: 'The person did not allow the sign-in.' });
}

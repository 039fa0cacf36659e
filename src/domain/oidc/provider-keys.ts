import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Executor } from '../../storage/database.js';
import {
  deleteOidcKeysRetiredBefore,
  insertOidcKeys,
  type OidcKeyRow,
  oidcKeys,
  oidcKeyVersion,
  retireOidcKeys,
} from '../../storage/queries/oidc-keys.js';
import { oidcKeyColumn } from '../../storage/secrets/encrypted-columns.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { OperationContext, Services } from '../context.js';
import { requireSecretKey } from '../secrets/require-secret-key.js';
import type { SecretKeyring } from '../secrets/secret-keyring.js';

/** How long a retired key stays in the JWKS: longer than any token it signed lives (ID tokens: 1 hour). */
const retiredKeyShownMs = 24 * 60 * 60 * 1000;

/** A private JSON Web Key as the provider library takes it. */
export type PrivateJwk = Record<string, string>;

export interface ProviderKeys {
  /** Signing keys, current first (ES256, then RS256), then retired ones still shown for verification. */
  signing: PrivateJwk[];
  /** Cookie-signing keys, current first. */
  cookies: string[];
  /** Changes whenever a key is added or retired: a node whose provider was built on another version rebuilds it. */
  version: string;
}

const feature = 'The OpenID Connect provider';

function newSigningKeys(ring: SecretKeyring, at: string): OidcKeyRow[] {
  return (['ES256', 'RS256'] as const).map((alg) => {
    const pair = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = randomBytes(12).toString('base64url');
    const jwk = { ...pair.privateKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
    return {
      id: kid,
      use: 'signing',
      alg,
      created_at: at,
      retired_at: null,
      secret: ring.encrypt({ ...oidcKeyColumn, rowId: kid }, JSON.stringify(jwk)),
    };
  });
}

function newCookieKey(ring: SecretKeyring, at: string): OidcKeyRow {
  const id = randomBytes(12).toString('base64url');
  const secret = ring.encrypt({ ...oidcKeyColumn, rowId: id }, randomBytes(32).toString('base64url'));
  return { id, use: 'cookie', alg: null, created_at: at, retired_at: null, secret };
}

/**
 * The provider's keys, created on first use (docs/oidc.md#signing-keys): ES256 (the default) and RS256 for
 * signing, and a cookie key; all stored encrypted by the secret store. Two nodes starting at once create one set
 * (a lock orders them).
 */
export async function loadProviderKeys(services: Services): Promise<ProviderKeys> {
  const ring = requireSecretKey(services, feature);
  const at = services.now().toISOString();
  await services.database.transact(async (trx) => {
    await services.database.lock(trx, 'oidc_keys');
    const signing = (await oidcKeys(trx, 'signing')).filter((key) => key.retired_at === null);
    const cookies = (await oidcKeys(trx, 'cookie')).filter((key) => key.retired_at === null);
    await insertOidcKeys(trx, [
      ...(signing.length === 0 ? newSigningKeys(ring, at) : []),
      ...(cookies.length === 0 ? [newCookieKey(ring, at)] : []),
    ]);
  });
  return readProviderKeys(services, ring, services.database.db);
}

async function readProviderKeys(services: Services, ring: SecretKeyring, db: Executor): Promise<ProviderKeys> {
  const shownAfter = services.now().getTime() - retiredKeyShownMs;
  const visible = (key: OidcKeyRow) => key.retired_at === null || Date.parse(key.retired_at) > shownAfter;
  const current = (a: OidcKeyRow, b: OidcKeyRow) =>
    Number(a.retired_at !== null) - Number(b.retired_at !== null) || (a.alg ?? '').localeCompare(b.alg ?? '');
  const signing = (await oidcKeys(db, 'signing')).filter(visible).sort(current);
  const cookies = (await oidcKeys(db, 'cookie')).filter(visible).sort(current);
  return {
    signing: signing.map((key) => JSON.parse(ring.decryptText({ ...oidcKeyColumn, rowId: key.id }, key.secret)) as PrivateJwk),
    cookies: cookies.map((key) => ring.decryptText({ ...oidcKeyColumn, rowId: key.id }, key.secret)),
    version: await oidcKeyVersion(db),
  };
}

/** The key set's version, read cheaply on each provider request to notice a rotation made on another node. */
export function providerKeyVersion(services: Services): Promise<string> {
  return oidcKeyVersion(services.database.db);
}

/** What a rotation made: the new signing keys (current from now on) and until when the old ones stay in the JWKS. */
export interface RotatedProviderKeys {
  signingKeys: Array<{ id: string; alg: string }>;
  oldKeysShownUntil: string;
}

/**
 * `roster oidc rotate-keys`: new signing and cookie keys take over at once on every node; the old ones stay in the
 * JWKS (and keep verifying cookies) for a day, longer than any token they signed lives, then go.
 */
export async function rotateProviderKeys(ctx: OperationContext): Promise<RotatedProviderKeys> {
  const ring = requireSecretKey(ctx, feature);
  const now = ctx.now();
  const at = now.toISOString();
  return ctx.database.transact(async (trx) => {
    await ctx.database.lock(trx, 'oidc_keys');
    await deleteOidcKeysRetiredBefore(trx, new Date(now.getTime() - retiredKeyShownMs).toISOString());
    await retireOidcKeys(trx, 'signing', at);
    await retireOidcKeys(trx, 'cookie', at);
    const signing = newSigningKeys(ring, at);
    await insertOidcKeys(trx, [...signing, newCookieKey(ring, at)]);
    const signingKeyIds = signing.map((key) => key.id);
    await recordAuditEvent(ctx, trx, {
      action: 'oidc.keys_rotated',
      target: { type: 'instance', id: null, name: 'oidc' },
      details: { signingKeyIds },
    });
    return {
      signingKeys: signing.map((key) => ({ id: key.id, alg: key.alg ?? '' })),
      oldKeysShownUntil: new Date(now.getTime() + retiredKeyShownMs).toISOString(),
    };
  });
}

import { createHash } from 'node:crypto';
import type { PreparedCall } from '../../storage/prepared-read.js';
import { findApplicationByClientId } from '../../storage/queries/applications.js';
import {
  consumeOidcPayload,
  deleteOidcPayload,
  deleteOidcPayloadsOfGrant,
  findOidcPayload,
  findOidcPayloadByUid,
  type OidcPayloadRow,
  upsertOidcPayload,
} from '../../storage/queries/oidc-payloads.js';
import type { Services } from '../context.js';
import { clientMetadataOf } from './client-metadata.js';
import { oidcRequestScope } from './request-scope.js';

/** The library's payload: a JSON object whose fields we read by name to fill the indexed columns. */
type Payload = Record<string, unknown> & {
  grantId?: string;
  accountId?: string;
  clientId?: string;
  uid?: string;
  consumed?: number;
  userCode?: string;
};

/** What the library's storage adapter must provide (oidc-provider's Adapter interface). */
interface ProviderAdapter {
  upsert(id: string, payload: Payload, expiresIn?: number): Promise<void>;
  find(id: string): Promise<Payload | undefined>;
  findByUid(uid: string): Promise<Payload | undefined>;
  findByUserCode(userCode: string): Promise<Payload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

/** Ids are stored as SHA-256 digests: for codes and tokens the id IS the secret the client holds. */
export function payloadIdDigest(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

/** Models whose consumption is a one-time event: a second use must fail even when both arrive at the same moment. */
const singleUse = new Set(['AuthorizationCode', 'RefreshToken']);

/** Called when a second use of a code or refresh token was caught by the conditional update (the race case). */
export type ReuseListener = (model: string, grantId: string | undefined, clientId: string | undefined) => Promise<void>;

/**
 * The provider library's storage in Roster's database, so that any node serves any step (docs/decisions/0024). One
 * row per object in `oidc_payloads`; applications come from `applications` (the `Client` model is read-only here).
 */
export function createProviderAdapter(services: Services, errors: typeof import('oidc-provider')['errors'], onRaceReuse: ReuseListener) {
  const { database } = services;
  const { db } = database;
  /**
   * Issuing and consuming write without waiting for the disk (docs/decisions/0024): each exchange writes three rows,
   * and a flush each made the token endpoint disk-bound. Commits stay atomic, visible at once and in order, so an OS
   * crash can lose only the newest writes together (a consumed mark with the tokens issued after it: the client signs
   * in again). Revocation (destroy, revokeByGrantId) waits for the disk: a revoked grant must stay revoked.
   */
  const quick = async (call: PreparedCall) => (await database.writePrepared([call], { flush: false }))[0] ?? 0;
  return class RosterOidcAdapter implements ProviderAdapter {
    readonly model: string;

    constructor(model: string) {
      this.model = model;
    }

    async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      if (this.model === 'Client') throw new Error('Applications are registered through the Applications API, not by the provider.');
      const now = services.now().getTime();
      const row: OidcPayloadRow = {
        model: this.model,
        id: payloadIdDigest(id),
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? (this.model === 'Grant' ? id : null),
        account_id: payload.accountId ?? null,
        client_id: payload.clientId ?? null,
        uid: payload.uid ?? null,
        roster_session: this.model === 'Session' ? (oidcRequestScope.getStore()?.rosterSessionDigest ?? null) : null,
        expires_at: expiresIn ? new Date(now + expiresIn * 1000).toISOString() : null,
        consumed_at: null,
      };
      await quick(upsertOidcPayload(database, row));
    }

    async find(id: string): Promise<Payload | undefined> {
      if (this.model === 'Client') {
        const application = await findApplicationByClientId(database, id);
        return application ? (clientMetadataOf(application) as unknown as Payload) : undefined;
      }
      const [row] = await findOidcPayload(database, { model: this.model, id: payloadIdDigest(id) });
      return this.#live(row);
    }

    async findByUid(uid: string): Promise<Payload | undefined> {
      const [row] = await findOidcPayloadByUid(database, { model: this.model, uid });
      return this.#live(row);
    }

    async findByUserCode(): Promise<Payload | undefined> {
      return undefined; // the device flow is not offered
    }

    async consume(id: string): Promise<void> {
      const digest = payloadIdDigest(id);
      const changed = await quick(consumeOidcPayload(database, { model: this.model, id: digest, at: services.now().toISOString() }));
      if (changed > 0 || !singleUse.has(this.model)) return;
      // Two uses at the same moment: both read the row unconsumed, this one lost the conditional update. It fails like
      // a later reuse would, and the whole grant goes (whoever replayed the code or token may hold the other answer).
      const [row] = await findOidcPayload(database, { model: this.model, id: digest });
      const payload = row ? (JSON.parse(row.payload) as Payload) : undefined;
      if (payload?.grantId) await deleteOidcPayloadsOfGrant(db, payload.grantId);
      await onRaceReuse(this.model, payload?.grantId, payload?.clientId);
      throw new errors.InvalidGrant(this.model === 'RefreshToken' ? 'refresh token already used' : 'authorization code already consumed');
    }

    async destroy(id: string): Promise<void> {
      await deleteOidcPayload(db, this.model, payloadIdDigest(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await deleteOidcPayloadsOfGrant(db, grantId, this.model);
    }

    #live(row: OidcPayloadRow | undefined): Payload | undefined {
      if (!row) return undefined;
      if (row.expires_at !== null && Date.parse(row.expires_at) <= services.now().getTime()) return undefined;
      const payload = JSON.parse(row.payload) as Payload;
      if (row.consumed_at !== null) payload.consumed = Math.floor(Date.parse(row.consumed_at) / 1000);
      return payload;
    }
  };
}

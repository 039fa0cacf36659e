import { webAuthnRelyingParties } from '../../storage/queries/webauthn.js';
import type { OperationContext } from '../context.js';
import { webAuthnSupport } from './webauthn-relying-party.js';

/**
 * `roster doctor`'s check of registered security keys (docs/product/security-settings.md#security-keys-and-passkeys):
 * a key works only for the domain it was registered on, so keys registered for another domain than ROSTER_PUBLIC_URL's
 * (the server moved, or the public URL is now an IP address) cannot sign anyone in any more.
 */
export async function checkWebAuthnDomain(ctx: OperationContext): Promise<{ ok: boolean; detail: string }> {
  const parties = await webAuthnRelyingParties(ctx.database.db);
  const support = webAuthnSupport(ctx.config);
  const total = parties.reduce((sum, party) => sum + Number(party.count), 0);
  if (total === 0)
    return {
      ok: true,
      detail: support.available
        ? `none registered; offered for ${support.relyingParty.id}`
        : 'none registered; not offered: the public URL has no domain name',
    };
  const current = support.available ? support.relyingParty.id : null;
  const stranded = parties.filter((party) => party.rp_id !== current);
  if (stranded.length === 0) return { ok: true, detail: `${total} registered for ${current}` };
  const list = stranded.map((party) => `${Number(party.count)} for ${party.rp_id}`).join(', ');
  return {
    ok: false,
    detail: `${list}, but ROSTER_PUBLIC_URL is ${ctx.config.publicUrl.origin}: those keys and passkeys no longer work (set the old domain back, or people sign in with a password and recovery code and register them again)`,
  };
}

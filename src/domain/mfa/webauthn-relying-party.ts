import { isIP } from 'node:net';
import type { Config } from '../../config/config.js';
import { DomainError } from '../errors.js';

/** The relying party WebAuthn ceremonies are bound to: the public URL's host name and origin. */
export interface RelyingParty {
  id: string;
  origin: string;
  name: string;
}

export type WebAuthnSupport = { available: true; relyingParty: RelyingParty } | { available: false; reason: string };

/**
 * Whether this server can offer security keys and passkeys (docs/product/security-settings.md#security-keys-and-passkeys,
 * docs/decisions/0023-webauthn.md). Browsers accept only a domain name as relying-party id, never an IP address;
 * `localhost` is a domain (and a secure context even on plain http). The id is ROSTER_PUBLIC_URL's host and never one
 * taken from the request, which the client chooses.
 */
export function webAuthnSupport(config: Pick<Config, 'publicUrl'>): WebAuthnSupport {
  const host = config.publicUrl.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) {
    return {
      available: false,
      reason: `Security keys and passkeys need the server to be reached by a domain name, and ROSTER_PUBLIC_URL (${config.publicUrl.origin}) uses an IP address. Ask your administrator to set ROSTER_PUBLIC_URL to the server's domain name.`,
    };
  }
  if (config.publicUrl.protocol !== 'https:' && host !== 'localhost' && !host.endsWith('.localhost')) {
    return {
      available: false,
      reason: `Security keys and passkeys need https (browsers refuse them on plain http except at localhost), and ROSTER_PUBLIC_URL is ${config.publicUrl.origin}.`,
    };
  }
  return { available: true, relyingParty: { id: host.toLowerCase(), origin: config.publicUrl.origin, name: 'Roster' } };
}

/** The relying party, or 400 `webauthn_unavailable` with the reason. */
export function requireRelyingParty(config: Pick<Config, 'publicUrl'>): RelyingParty {
  const support = webAuthnSupport(config);
  if (!support.available) throw new DomainError('webauthn_unavailable', support.reason);
  return support.relyingParty;
}

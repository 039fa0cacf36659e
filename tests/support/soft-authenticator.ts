import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { loginAs } from './session.js';

/**
 * A software WebAuthn authenticator for API tests (the browser suites use Chromium's virtual authenticator): a P-256
 * key per credential, `none` attestation, and assertions signed the way a real authenticator signs them, so the server's
 * verification (@simplewebauthn/server) runs for real. Only what the tests need: ES256, one origin.
 */

type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;

function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
  const out = Buffer.alloc(3);
  out[0] = (major << 5) | 25;
  out.writeUInt16BE(length, 1);
  return out;
}

function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  const parts = [head(5, value.size)];
  for (const [key, entry] of value) parts.push(cbor(key), cbor(entry));
  return Buffer.concat(parts);
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();
const b64 = (data: Buffer) => data.toString('base64url');

export interface SoftCredential {
  id: Buffer;
  privateKey: KeyObject;
  userHandle: string;
  counter: number;
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];
  constructor(
    readonly origin: string,
    readonly rpId: string,
  ) {}

  /** Answers creation options like `navigator.credentials.create()` + `toJSON()`. */
  create(options: { challenge: string; user: { id: string } }, flags: { userVerified?: boolean; discoverable?: boolean } = {}) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const credential: SoftCredential = { id: randomBytes(16), privateKey, userHandle: options.user.id, counter: 0 };
    this.credentials.push(credential);
    const coseKey = new Map<Cbor, Cbor>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x ?? '', 'base64url')],
      [-3, Buffer.from(jwk.y ?? '', 'base64url')],
    ]);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    const authData = Buffer.concat([
      sha256(this.rpId),
      Buffer.from([0x01 | 0x40 | (flags.userVerified === false ? 0 : 0x04)]),
      Buffer.alloc(4),
      Buffer.alloc(16),
      idLength,
      credential.id,
      cbor(coseKey),
    ]);
    const clientDataJSON = Buffer.from(
      JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin: this.origin, crossOrigin: false }),
    );
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    return {
      id: b64(credential.id),
      rawId: b64(credential.id),
      type: 'public-key' as const,
      response: { clientDataJSON: b64(clientDataJSON), attestationObject: b64(attestationObject), transports: ['usb'] },
      clientExtensionResults: { credProps: { rk: flags.discoverable ?? true } },
    };
  }

  /** Answers request options like `navigator.credentials.get()` + `toJSON()`, with the first (or a named) credential. */
  get(options: { challenge: string }, choice: { credential?: SoftCredential; userVerified?: boolean; origin?: string } = {}) {
    const credential = choice.credential ?? this.credentials[0];
    if (!credential) throw new Error('no credential');
    credential.counter += 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(credential.counter);
    const authData = Buffer.concat([sha256(this.rpId), Buffer.from([0x01 | (choice.userVerified === false ? 0 : 0x04)]), counter]);
    const clientDataJSON = Buffer.from(
      JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin: choice.origin ?? this.origin, crossOrigin: false }),
    );
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey);
    return {
      id: b64(credential.id),
      rawId: b64(credential.id),
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64(clientDataJSON),
        authenticatorData: b64(authData),
        signature: b64(signature),
        userHandle: credential.userHandle,
      },
      clientExtensionResults: {},
    };
  }
}

/**
 * Registers a software key for `user` through the API (their own browser session) on a test app whose public URL is
 * `origin`; returns the authenticator holding it and the key's Roster id.
 */
export async function registerSoftKey(
  app: FastifyInstance,
  user: { username: string; password: string },
  origin: string,
): Promise<{ authenticator: SoftAuthenticator; keyId: string }> {
  const client = await loginAs(app, user.username, user.password);
  const options = await client.post('/api/v1/me/mfa/webauthn/options', { currentPassword: user.password });
  if (options.statusCode !== 200) throw new Error(`options: ${options.statusCode} ${options.body}`);
  const authenticator = new SoftAuthenticator(origin, new URL(origin).hostname);
  const created = await client.post('/api/v1/me/mfa/webauthn', {
    name: 'Test key',
    credential: authenticator.create(options.json().options),
  });
  if (created.statusCode !== 201) throw new Error(`register: ${created.statusCode} ${created.body}`);
  return { authenticator, keyId: created.json().credential.id as string };
}

import type { EmailKey, UserKey } from '../../storage/queries/user-pages.js';
import { DomainError } from '../errors.js';

/**
 * Where a People page ended. A search walks three phases: username prefix matches in (username, id) order, then
 * email prefix matches in (email, id) order, then (for terms of three characters or more) the remaining substring
 * matches in (username, id) order; each is an index range or walk, so every later page costs one page
 * (docs/product/speed-targets.md#targets). The cursor says which phase and the last key read — the last row of the
 * page, or where a page that spent its reading budget stopped (docs/product/security-settings.md#bounded-work). Null
 * `after`: the phase starts from its beginning.
 */
export type PeopleCursor = { phase: 'prefix' | 'substring' | 'all'; after: UserKey | null } | { phase: 'email'; after: EmailKey | null };

const phases = new Set(['prefix', 'email', 'substring', 'all']);

export function encodePeopleCursor(cursor: PeopleCursor): string {
  const key = cursor.after === null ? null : cursor.phase === 'email' ? cursor.after.email : cursor.after.username;
  return Buffer.from(JSON.stringify(cursor.after && key !== null ? [cursor.phase, key, cursor.after.id] : [cursor.phase])).toString(
    'base64url',
  );
}

/** Throws 400 `validation_failed` for anything that is not a cursor this server made. */
export function decodePeopleCursor(value: string): PeopleCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && phases.has(parsed[0])) {
      const phase = parsed[0] as PeopleCursor['phase'];
      if (parsed.length === 1) return { phase, after: null } as PeopleCursor;
      if (parsed.length === 3 && typeof parsed[1] === 'string' && typeof parsed[2] === 'string') {
        if (phase === 'email') return { phase, after: { email: parsed[1], id: parsed[2] } };
        return { phase, after: { username: parsed[1], id: parsed[2] } };
      }
    }
  } catch {
    // fall through: not base64url JSON
  }
  return invalidCursor();
}

/** 400 `validation_failed` on `/cursor`: not a cursor this server made, or one made for another kind of search. */
export function invalidCursor(): never {
  const message = 'The cursor is not valid; start again without one.';
  throw new DomainError('validation_failed', message, { errors: [{ field: '/cursor', message }] });
}

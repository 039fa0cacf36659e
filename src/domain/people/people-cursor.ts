import type { UserKey } from '../../storage/queries/users.js';
import { DomainError } from '../errors.js';

/**
 * Where a People page ended. A search walks two phases, prefix matches first and then the remaining substring
 * matches, each in (username, id) order; the cursor says which phase and the last key seen.
 */
export interface PeopleCursor {
  phase: 'prefix' | 'substring' | 'all';
  /** Null: the phase starts from its beginning (a page ended exactly at the end of the prefix matches). */
  after: UserKey | null;
}

const phases = new Set(['prefix', 'substring', 'all']);

export function encodePeopleCursor(cursor: PeopleCursor): string {
  return Buffer.from(JSON.stringify(cursor.after ? [cursor.phase, cursor.after.username, cursor.after.id] : [cursor.phase])).toString(
    'base64url',
  );
}

/** Throws 400 `validation_failed` for anything that is not a cursor this server made. */
export function decodePeopleCursor(value: string): PeopleCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && phases.has(parsed[0])) {
      const phase = parsed[0] as PeopleCursor['phase'];
      if (parsed.length === 1) return { phase, after: null };
      if (parsed.length === 3 && typeof parsed[1] === 'string' && typeof parsed[2] === 'string') {
        return { phase, after: { username: parsed[1], id: parsed[2] } };
      }
    }
  } catch {
    // fall through: not base64url JSON
  }
  const message = 'The cursor is not valid; start again without one.';
  throw new DomainError('validation_failed', message, { errors: [{ field: '/cursor', message }] });
}

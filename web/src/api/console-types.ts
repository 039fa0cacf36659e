// Types of the console that web/src/api/types.ts does not have yet (that file follows src/shared/api and is kept by
// another change); merge them there once both are in.
import type { Me } from './types';

/** `GET /api/v1/me` with the password policy's minimum length (docs/product/api.md). */
export type MeWithPolicy = Me & { passwordMinLength?: number };

/** The minimum password length to state in hints: the server's, or the default policy's. */
export function passwordMinLength(me: Me): number {
  return (me as MeWithPolicy).passwordMinLength ?? 15;
}

// Payload types of the REST API that the console relies on, all taken from the server's schemas in src/shared/api
// (docs/product/api.md), so the console and the server cannot drift apart. The names are the console's.
import type { Problem } from '../../../src/shared/api/common';
import type { Abilities, MeResponse } from '../../../src/shared/api/me';
import type { OrganizationRole } from '../../../src/shared/permissions';

export type { Abilities };

/** Instance role ids. Display labels and colours live in components/role-badge.tsx. */
export type InstanceRoleId = OrganizationRole;

export type AbilityName = keyof Abilities;

/** `GET /api/v1/me`. */
export type Me = MeResponse;

/** One entry of `errors` in a `validation_failed` problem: `field` is a JSON pointer such as `/username`. */
export type ProblemFieldError = NonNullable<Problem['errors']>[number];

/**
 * An `application/problem+json` body (RFC 9457) with Roster's stable `code`. Every member is optional here: the body
 * of an error answer is read before it is known to be one of Roster's problems (a proxy may answer instead).
 */
export type ProblemDetails = Partial<Problem> & Record<string, unknown>;

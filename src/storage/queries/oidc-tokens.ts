import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialects/driver.js';
import { preparedRead } from '../prepared-read.js';
import type { Schema } from '../schema.js';
import {
  type AccessSubjectRow,
  accessSubjectColumns,
  mfaPolicyColumns,
  type TokenProjectColumns,
  tokenProjectColumns,
} from './access-subjects.js';
import { groupsAsJson } from './groups-json.js';

/**
 * The provider's access tokens as Roster's own API sees them (docs/api-tokens.md#openid-connect-access-tokens): the
 * token's row in `oidc_payloads` (keyed by the SHA-256 of the token) joined to the application it was issued to and
 * the person it speaks for, in one round trip. The provider library itself reads and writes these rows through `oidc-payloads.ts`.
 */

/** The models whose tokens Roster's API may accept: a person's access token, an application's client-credentials token. */
export const bearerTokenModels = ['AccessToken', 'ClientCredentials'] as const;
export type BearerTokenModel = (typeof bearerTokenModels)[number];

/** The person's columns of the access-subject read; all null for client credentials or an account that is gone. */
export type OidcTokenPersonColumns = { [K in keyof AccessSubjectRow]: AccessSubjectRow[K] | null };

export interface OidcBearerTokenRow extends OidcTokenPersonColumns {
  model: BearerTokenModel;
  /** The library's JSON payload (scope, exp, accountId, clientId, …). */
  payload: string;
  expires_at: string | null;
  account_id: string | null;
  application_id: string;
  client_id: string;
  application_name: string;
  authorize_api: number;
  roster_api: number;
  restricted_to_groups: number;
  /** The person's must-change-password flag (null for client credentials or an account that is gone). */
  must_change_password: number | null;
  /** 1 when the person belongs to one of the application's allowed groups (only read when it is restricted). */
  in_allowed_group: number;
}

/**
 * A bearer token by its digest, with its application (an inner join: a token of a deleted application finds nothing),
 * the person with their role, groups and the 2FA policy exactly as the access-subject read has them, the person's
 * must-change-password flag and whether the person is still in one of the application's allowed groups. A prepared
 * read: it runs on every request that carries such a token, and it is the only read of the caller.
 */
export const preparedOidcBearerToken = preparedRead<{ digest: string }, OidcBearerTokenRow>('oidc_bearer_token', (db, param, dialect) =>
  oidcBearerTokenQuery(db, dialect, param('digest')),
);

/**
 * The bearer-token read with a project and the grants on it that reach the token's person, in ONE statement: what
 * `POST /authorize` needs for a question about the caller (docs/decisions/0027), as for an API token.
 */
export const preparedOidcBearerTokenWithProject = preparedRead<
  { digest: string; projectId: string },
  OidcBearerTokenRow & TokenProjectColumns
>('oidc_bearer_token_with_project', (db, param, dialect) =>
  oidcBearerTokenQuery(db, dialect, param('digest'))
    .leftJoin('projects', (join) => join.on('projects.id', '=', param('projectId')))
    .select(tokenProjectColumns(dialect)),
);

function oidcBearerTokenQuery(db: Kysely<Schema>, dialect: DialectName, digest: string) {
  return db
    .selectFrom('oidc_payloads')
    .innerJoin('applications', 'applications.client_id', 'oidc_payloads.client_id')
    .leftJoin('users', 'users.id', 'oidc_payloads.account_id')
    .leftJoin('security_settings', (join) => join.on(sql<boolean>`security_settings.id = 1`))
    .select([...accessSubjectColumns, ...mfaPolicyColumns, groupsAsJson(dialect).as('groups_json')])
    .select((eb) => [
      sql<BearerTokenModel>`oidc_payloads.model`.as('model'),
      'oidc_payloads.payload',
      'oidc_payloads.expires_at',
      'oidc_payloads.account_id',
      'applications.id as application_id',
      'applications.client_id',
      'applications.name as application_name',
      'applications.authorize_api',
      'applications.roster_api',
      'applications.restricted_to_groups',
      'users.must_change_password',
      eb
        .case()
        .when(
          eb.exists(
            eb
              .selectFrom('application_groups')
              .innerJoin('group_members', 'group_members.group_id', 'application_groups.group_id')
              .select(sql.lit(1).as('one'))
              .whereRef('application_groups.application_id', '=', 'applications.id')
              .whereRef('group_members.user_id', '=', 'oidc_payloads.account_id'),
          ),
        )
        .then(sql.lit(1))
        .else(sql.lit(0))
        .end()
        .as('in_allowed_group'),
    ])
    .where('oidc_payloads.model', 'in', [...bearerTokenModels])
    .where('oidc_payloads.id', '=', digest);
}

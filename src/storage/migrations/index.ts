import type { Kysely } from 'kysely';
import * as initial from './0001-initial.js';
import * as peopleSearch from './0002-people-search.js';
import * as peopleTrigramSearch from './0004-people-trigram-search.js';
import * as auditSequence from './0005-audit-sequence.js';
import * as peopleEmailByRole from './0006-people-email-by-role.js';
import * as secretCanary from './0008-secret-canary.js';
import * as serviceAccounts from './0009-service-accounts.js';
import * as twoFactor from './0010-two-factor.js';
import * as webauthn from './0011-webauthn.js';
import * as peopleMfaByRole from './0012-people-mfa-by-role.js';
import * as openIdConnect from './0013-openid-connect.js';
import * as identityProviders from './0014-identity-providers.js';
import * as ssoLogin from './0015-sso-login.js';
import * as ssoReauthentication from './0016-sso-reauthentication.js';
import * as groupMembersByUser from './0017-group-members-by-user.js';
import * as projectAccessBySubject from './0018-project-access-by-subject.js';

export type MigrationDialect = 'sqlite' | 'postgres';

export interface Migration {
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: migrations see the schema of their own time, not today's types.
  up(db: Kysely<any>, dialect: MigrationDialect): Promise<void>;
}

/** Every migration in order. Append only; names sort in the order they run. */
export const migrations: readonly Migration[] = [
  { name: '0001-initial', up: initial.up },
  { name: '0002-people-search', up: peopleSearch.up },
  { name: '0004-people-trigram-search', up: peopleTrigramSearch.up },
  { name: '0005-audit-sequence', up: auditSequence.up },
  { name: '0006-people-email-by-role', up: peopleEmailByRole.up },
  { name: '0008-secret-canary', up: secretCanary.up },
  { name: '0009-service-accounts', up: serviceAccounts.up },
  { name: '0010-two-factor', up: twoFactor.up },
  { name: '0011-webauthn', up: webauthn.up },
  { name: '0012-people-mfa-by-role', up: peopleMfaByRole.up },
  { name: '0013-openid-connect', up: openIdConnect.up },
  { name: '0014-identity-providers', up: identityProviders.up },
  { name: '0015-sso-login', up: ssoLogin.up },
  { name: '0016-sso-reauthentication', up: ssoReauthentication.up },
  { name: '0017-group-members-by-user', up: groupMembersByUser.up },
  { name: '0018-project-access-by-subject', up: projectAccessBySubject.up },
];

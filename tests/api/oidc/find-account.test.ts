import { expect, it } from 'vitest';
import { findOidcAccount } from '../../../src/domain/oidc/oidc-accounts.js';
import { describeEachDatabase } from '../../support/databases.js';
import { buildMember, buildUser } from '../../support/factories.js';
import { insertTestApplication } from '../../support/oidc.js';
import { readsDuring } from '../../support/read-counter.js';
import { useTestApp } from '../../support/test-app.js';

/**
 * The provider's `findAccount` runs at every code exchange, refresh and userinfo call (docs/oidc.md#claims): the person,
 * with the email their claims carry, is one prepared read beside the application's, and no Kysely query.
 */
describeEachDatabase('The OpenID Connect provider reads the person for their claims in one read', (dialect) => {
  const t = useTestApp(dialect);

  it('gives the person’s current email and username from one prepared read of the person and one of the application', async () => {
    const { user } = await buildMember(t());
    const application = await insertTestApplication(t().services);
    const { result: account, ...reads } = await readsDuring(t(), () => findOidcAccount(t().services, user.id, application.clientId));
    expect(reads.queries).toBe(0);
    expect(reads.prepared.sort()).toEqual(['roster_access_subject', 'roster_application_by_client_id']);
    const claims = await account?.claims();
    expect(claims).toMatchObject({ sub: user.id, preferred_username: user.username, email: user.email, email_verified: false });
  });

  it('finds no account for someone who does not exist or was removed', async () => {
    const application = await insertTestApplication(t().services);
    expect(await findOidcAccount(t().services, '00000000-0000-4000-8000-000000000000', application.clientId)).toBeUndefined();
    const removed = await buildUser(t(), { email: 'gone@example.com' });
    await t().services.database.db.updateTable('users').set({ status: 'removed' }).where('id', '=', removed.user.id).execute();
    expect(await findOidcAccount(t().services, removed.user.id, application.clientId)).toBeUndefined();
  });
});

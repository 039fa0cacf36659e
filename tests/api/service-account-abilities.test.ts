import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { buildAdmin, buildMember, buildOwner } from '../support/factories.js';
import { loginAs } from '../support/session.js';
import { useTestApp } from '../support/test-app.js';

// docs/product/console.md#service-accounts: the console learns from GET /me whether to show Create Service Account,
// and whether to offer the Admin role and tokens that never expire (Owners only).
describeEachDatabase('GET /me: service-account abilities', (dialect) => {
  const t = useTestApp(dialect);

  async function abilitiesOf(login: { user: { username: string }; password: string }) {
    const client = await loginAs(t().app, login.user.username, login.password);
    return (await client.get('/api/v1/me')).json().abilities as Record<string, boolean>;
  }

  it('lets Owners create Admin service accounts and tokens that never expire', async () => {
    expect(await abilitiesOf(await buildOwner(t()))).toMatchObject({
      viewServiceAccounts: true,
      manageServiceAccounts: true,
      createAdminServiceAccounts: true,
      createNeverExpiringServiceAccountTokens: true,
    });
  });

  it('lets Admins manage Member service accounts with expiring tokens only', async () => {
    expect(await abilitiesOf(await buildAdmin(t()))).toMatchObject({
      viewServiceAccounts: true,
      manageServiceAccounts: true,
      createAdminServiceAccounts: false,
      createNeverExpiringServiceAccountTokens: false,
    });
  });

  it('gives Members none of them', async () => {
    expect(await abilitiesOf(await buildMember(t()))).toMatchObject({
      viewServiceAccounts: false,
      manageServiceAccounts: false,
      createAdminServiceAccounts: false,
      createNeverExpiringServiceAccountTokens: false,
    });
  });
});

import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { buildMember } from '../support/factories.js';
import { loginAs, useTestApp } from '../support/test-app.js';

describeEachDatabase('people by username', (dialect) => {
  const t = useTestApp(dialect);

  it('finds a person by id or by active username (the console’s /people/<username> address)', async () => {
    const member = await buildMember(t(), { username: 'findable.person' });
    const owner = await loginAs(t().app, t().owner.user.username, t().owner.password);
    expect((await owner.get(`/api/v1/people/${member.user.id}`)).json()).toMatchObject({ id: member.user.id });
    expect((await owner.get('/api/v1/people/Findable.Person')).json()).toMatchObject({ id: member.user.id, username: 'findable.person' });
    expect((await owner.get('/api/v1/people/nobody.here')).statusCode).toBe(404);
    const memberClient = await loginAs(t().app, member.user.username, member.password);
    expect((await memberClient.get('/api/v1/people/findable.person')).statusCode).toBe(403);
  });
});

import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { buildMember } from '../../support/factories.js';
import { loginAs } from '../../support/session.js';
import { useTestApp } from '../../support/test-app.js';

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

describeEachDatabase('people lookup for pickers', (dialect) => {
  const t = useTestApp(dialect);

  it('lets project Admins find people by handle (without emails) and refuses other Members', async () => {
    const target = await buildMember(t(), { username: 'pickable.one' });
    const projectAdmin = await buildMember(t());
    const bystander = await buildMember(t());
    const owner = await loginAs(t().app, t().owner.user.username, t().owner.password);
    const asAdmin = await loginAs(t().app, projectAdmin.user.username, projectAdmin.password);
    const asBystander = await loginAs(t().app, bystander.user.username, bystander.password);
    expect((await asAdmin.get('/api/v1/people/lookup?query=pickable')).statusCode).toBe(403);
    const project = (await asAdmin.post('/api/v1/projects', { name: 'picker-project' })).json() as { id: string };
    const found = await asAdmin.get('/api/v1/people/lookup?query=pickable');
    expect(found.json()).toEqual({ items: [{ id: target.user.id, username: 'pickable.one', email: null, type: 'person' }] });
    expect((await asBystander.get('/api/v1/people/lookup?query=pickable')).statusCode).toBe(403);
    expect((await owner.get('/api/v1/people/lookup?query=pickable')).json().items[0].email).toBe(target.user.email);
    expect((await asAdmin.put(`/api/v1/projects/${project.id}/access/user/${target.user.id}`, { role: 'reader' })).statusCode).toBe(200);
  });
});

import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { buildMember, buildProject, grantProjectRole } from '../support/factories.js';
import { loginAs } from '../support/session.js';
import { useTestApp } from '../support/test-app.js';

// Issue 17 item 7: the group page shows which projects the group can access, through GET /groups/:id/projects, which
// lists only projects the caller can see (docs/product/security-settings.md#privacy-between-users).
describeEachDatabase('GET /groups/:id/projects', (dialect) => {
  const t = useTestApp(dialect);
  const ownerClient = () => loginAs(t().app, t().owner.user.username, t().owner.password);

  it('lists the group’s projects with its role, by name, and hides projects the caller cannot see', async () => {
    const owner = await ownerClient();
    const group = (await owner.post('/api/v1/groups', { name: 'Readers' })).json() as { id: string };
    const zebra = await buildProject(t(), t().owner.user, { name: 'Zebra' });
    const apple = await buildProject(t(), t().owner.user, { name: 'Apple' });
    await buildProject(t(), t().owner.user, { name: 'Not granted' });
    expect((await owner.put(`/api/v1/projects/${zebra.id}/access/group/${group.id}`, { role: 'reader' })).statusCode).toBe(200);
    expect((await owner.put(`/api/v1/projects/${apple.id}/access/group/${group.id}`, { role: 'contributor' })).statusCode).toBe(200);

    const listed = await owner.get(`/api/v1/groups/${group.id}/projects`);
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual({
      items: [
        { id: apple.id, name: 'Apple', role: 'contributor' },
        { id: zebra.id, name: 'Zebra', role: 'reader' },
      ],
      truncated: false,
    });
    expect((await owner.get(`/api/v1/groups/${group.id}/projects?limit=1`)).json()).toMatchObject({ truncated: true });

    // A Member outside the group sees groups, but only the projects they can see themselves.
    const member = await buildMember(t());
    await grantProjectRole(t(), zebra, member.user, 'reader');
    const memberClient = await loginAs(t().app, member.user.username, member.password);
    const seen = await memberClient.get(`/api/v1/groups/${group.id}/projects`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toEqual({ items: [{ id: zebra.id, name: 'Zebra', role: 'reader' }], truncated: false });

    expect((await owner.get('/api/v1/groups/00000000-0000-0000-0000-000000000000/projects')).statusCode).toBe(404);
  });
});

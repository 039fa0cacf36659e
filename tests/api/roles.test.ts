import { expect, it } from 'vitest';
import { permissionCatalogue, predefinedRoles } from '../../src/shared/permissions.js';
import { describeEachDatabase } from '../support/databases.js';
import { buildAdmin, buildMember } from '../support/factories.js';
import { loginAs } from '../support/session.js';
import { useTestApp } from '../support/test-app.js';

describeEachDatabase('roles and permissions API', (dialect) => {
  const t = useTestApp(dialect);

  it('lists exactly the catalogue: three organization and three project roles with their permissions', async () => {
    const admin = await buildAdmin(t());
    const client = await loginAs(t().app, admin.user.username, admin.password);
    const response = await client.get('/api/v1/roles');
    expect(response.statusCode).toBe(200);
    const { items } = response.json() as { items: Array<{ id: string; scope: string; permissions: string[]; predefined: boolean }> };
    expect(items.map((role) => role.id)).toEqual(['owner', 'admin', 'member', 'project-admin', 'project-contributor', 'project-reader']);
    for (const role of predefinedRoles) {
      expect(items.find((item) => item.id === role.id)).toMatchObject({
        scope: role.scope,
        permissions: [...role.permissions],
        predefined: true,
      });
    }
    const project = await client.get('/api/v1/roles?scope=project');
    expect((project.json() as { items: Array<{ id: string }> }).items.map((r) => r.id)).toEqual([
      'project-admin',
      'project-contributor',
      'project-reader',
    ]);
    const member = await client.get('/api/v1/roles/member');
    expect(member.json()).toMatchObject({ name: 'Member', permissions: [...(predefinedRoles[2]?.permissions ?? [])] });
    expect((await client.get('/api/v1/roles/nope')).statusCode).toBe(404);
    const permissions = await client.get('/api/v1/permissions');
    expect((permissions.json() as { items: unknown[] }).items).toHaveLength(permissionCatalogue.length);
  });

  it('refuses to create, change or delete roles with 403 role_read_only (R6)', async () => {
    const client = await loginAs(t().app, t().owner.user.username, t().owner.password);
    for (const [method, url] of [
      ['POST', '/api/v1/roles'],
      ['PUT', '/api/v1/roles/admin'],
      ['PATCH', '/api/v1/roles/member'],
      ['DELETE', '/api/v1/roles/owner'],
    ] as const) {
      const response = await client.request(method, url, method === 'DELETE' ? undefined : { name: 'Admin' });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expect(response.json().code).toBe('role_read_only');
    }
  });

  it('answers 403 to Members, who lack organization.custom_roles.view', async () => {
    const member = await buildMember(t());
    const client = await loginAs(t().app, member.user.username, member.password);
    expect((await client.get('/api/v1/roles')).json()).toMatchObject({ status: 403, code: 'forbidden' });
    expect((await client.get('/api/v1/permissions')).statusCode).toBe(403);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  allPermissions,
  organizationRoleIds,
  organizationRoles,
  type Permission,
  permissionCatalogue,
  projectRoleIds,
  projectRoles,
} from '../../src/shared/permissions.js';

/**
 * SPEC §3.1 and §3.2, transcribed as written: one row per permission, one column per role. The catalogue in the code
 * must equal these tables exactly; when ../shared/SPEC.md is present, the tables are also parsed from it so the
 * transcription itself cannot drift.
 */
const organizationTable = `
organization.view | ✓ | ✓ | ✓
organization.delete | ✓ | |
organization.change_owner | ✓ | |
organization.activity_monitor.view | ✓ | ✓ | ✓
organization.projects.create | ✓ | ✓ | ✓
organization.people.view | ✓ | ✓ |
organization.people.invite | ✓ | ✓ |
organization.people.manage | ✓ | ✓ |
organization.groups.view | ✓ | ✓ | ✓
organization.groups.manage | ✓ | ✓ |
organization.custom_roles.view | ✓ | ✓ |
organization.audit_logs.view | ✓ | ✓ |
organization.audit_logs.manage | ✓ | |
organization.service_accounts.view | ✓ | ✓ |
organization.service_accounts.manage | ✓ | ✓ |
organization.general_settings.view | ✓ | ✓ |
organization.general_settings.manage | ✓ | ✓ |
organization.instance_git_integration.manage | ✓ | ✓ |
organization.self_hosted_agents.view | ✓ | ✓ | ✓
organization.self_hosted_agents.manage | ✓ | ✓ | ✓
organization.secrets.view | ✓ | ✓ | ✓
organization.secrets.manage | ✓ | ✓ | ✓
organization.notifications.view | ✓ | ✓ | ✓
organization.notifications.manage | ✓ | ✓ | ✓
organization.pre_flight_checks.view | ✓ | ✓ |
organization.pre_flight_checks.manage | ✓ | ✓ |
organization.dashboards.view | ✓ | ✓ | ✓
organization.dashboards.manage | ✓ | ✓ | ✓
organization.metrics.view | ✓ | |`;

/** Roster's own permissions beyond SPEC §3.1 (docs/decisions/0020: scraping /metrics with a token). */
const extensions = ['organization.metrics.view'];

/**
 * SPEC §12.3, the permissions of the identity features: each joins the catalogue (after §3.1's) when its feature is
 * built. Built so far: applications (the OpenID Connect provider's clients), identity providers (single sign-on) and the
 * 2FA policy.
 */
const identityTable = `
organization.applications.view | ✓ | ✓ |
organization.applications.manage | ✓ | ✓ |
organization.applications.trust | ✓ | |
organization.identity_providers.manage | ✓ | |
organization.security_settings.manage | ✓ | |`;

const projectTable = `
project.view | ✓ | ✓ | ✓
project.delete | ✓ | |
project.access.view | ✓ | ✓ | ✓
project.access.manage | ✓ | |
project.general_settings.view | ✓ | ✓ | ✓
project.general_settings.manage | ✓ | |
project.repository_info.view | ✓ | ✓ | ✓
project.repository_info.manage | ✓ | |
project.secrets.view | ✓ | ✓ |
project.secrets.manage | ✓ | ✓ |
project.notifications.view | ✓ | ✓ | ✓
project.notifications.manage | ✓ | ✓ |
project.artifacts.view | ✓ | ✓ | ✓
project.artifacts.delete | ✓ | ✓ |
project.artifacts.view_settings | ✓ | ✓ | ✓
project.artifacts.modify_settings | ✓ | |
project.scheduler.view | ✓ | ✓ | ✓
project.scheduler.manage | ✓ | ✓ |
project.scheduler.run_manually | ✓ | ✓ |
project.workflow.manage | ✓ | ✓ |
project.job.rerun | ✓ | ✓ |
project.job.stop | ✓ | ✓ |
project.job.attach | ✓ | ✓ |`;

type Matrix = Array<{ permission: string; grants: boolean[] }>;

function parseTable(text: string): Matrix {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const cells = line.split('|').map((cell) => cell.trim());
      return { permission: cells[0] ?? '', grants: cells.slice(1, 4).map((cell) => cell === '✓') };
    });
}

/** Pulls the rows of one §3.x table out of SPEC.md (`| permission | ✓ | | |` lines under the heading). */
function tableFromSpec(spec: string, heading: string): Matrix {
  const start = spec.indexOf(heading);
  const section = spec.slice(start, spec.indexOf('\n### ', start + heading.length));
  return section
    .split('\n')
    .filter((line) => /^\| (organization|project)\./.test(line))
    .map((line) => {
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      return { permission: cells[0] ?? '', grants: cells.slice(1, 4).map((cell) => cell === '✓') };
    });
}

const specPath = path.resolve(import.meta.dirname, '../../../shared/SPEC.md');
const spec = fs.existsSync(specPath) ? fs.readFileSync(specPath, 'utf8') : null;

describe('permission catalogue', () => {
  const organization = [...parseTable(organizationTable), ...parseTable(identityTable)];
  const project = parseTable(projectTable);

  it('lists exactly the permissions of SPEC §3.1, the built ones of §12.3 and §3.2, in order', () => {
    expect(allPermissions).toEqual([...organization, ...project].map((row) => row.permission));
    expect(new Set(allPermissions).size).toBe(allPermissions.length);
  });

  it('gives every permission a one-line description', () => {
    for (const entry of permissionCatalogue) {
      expect(entry.description.length, entry.name).toBeGreaterThan(10);
      expect(entry.description, entry.name).not.toContain('\n');
    }
  });

  describe.each(organization)('$permission', ({ permission, grants }) => {
    it.each(organizationRoleIds.map((role, column) => ({ role, expected: grants[column] })))('$role → $expected', ({ role, expected }) => {
      expect((organizationRoles[role].permissions as readonly Permission[]).includes(permission as Permission)).toBe(expected);
    });
  });

  describe.each(project)('$permission', ({ permission, grants }) => {
    it.each(projectRoleIds.map((role, column) => ({ role, expected: grants[column] })))(
      'project $role → $expected',
      ({ role, expected }) => {
        expect((projectRoles[role].permissions as readonly Permission[]).includes(permission as Permission)).toBe(expected);
      },
    );
  });

  it('has role permission lists without duplicates or permissions of another scope', () => {
    for (const role of Object.values(organizationRoles)) {
      expect(new Set(role.permissions).size).toBe(role.permissions.length);
      expect(role.permissions.every((p) => p.startsWith('organization.'))).toBe(true);
    }
    for (const role of Object.values(projectRoles)) {
      expect(new Set(role.permissions).size).toBe(role.permissions.length);
      expect(role.permissions.every((p) => p.startsWith('project.'))).toBe(true);
    }
  });

  it.skipIf(!spec)('matches the tables in SPEC.md itself', () => {
    if (!spec) return;
    const built = new Set<string>(allPermissions);
    const identity = tableFromSpec(spec, '### §12.3').filter((row) => built.has(row.permission));
    expect([...tableFromSpec(spec, '### §3.1'), ...identity]).toEqual(organization.filter((row) => !extensions.includes(row.permission)));
    expect(tableFromSpec(spec, '### §3.2')).toEqual(project);
  });
});
if (!spec) console.warn(`skipped: SPEC.md not found at ${specPath}; the transcribed tables are still checked`);

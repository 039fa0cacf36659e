import type { AccessEntry, AccessList, AccessListQuery } from '../../shared/api/project-access.js';
import { pageOfGroupGrants, pageOfUserGrants } from '../../storage/queries/project-access.js';
import { findUser, pageOfActiveUsersWithRole } from '../../storage/queries/users.js';
import { can } from '../access/authorize.js';
import { canViewPeople } from '../access/policies/people-policy.js';
import {
  everyProjectAdminSource,
  everyProjectAdmins,
  projectOwnerAccessRole,
  whyCannotManageProjectAccess,
} from '../access/policies/project-access-policy.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { loadVisibleProject } from './project-views.js';

const defaultPageSize = 50;

/** Where a page ends: the section, then (sort key, id) inside it. */
interface AccessCursor {
  section: number;
  key: string;
  id: string;
}
interface KeyedEntry {
  key: string;
  id: string;
  entry: AccessEntry;
}
/** One part of the list, in its own keyset order: at most `limit` entries after `after` (or from its start). */
type Section = (after: { key: string; id: string } | null, limit: number) => Promise<KeyedEntry[]>;

function encodeCursor(cursor: AccessCursor): string {
  return Buffer.from(JSON.stringify([cursor.section, cursor.key, cursor.id])).toString('base64url');
}

function decodeCursor(value: string): AccessCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 3 &&
      Number.isInteger(parsed[0]) &&
      typeof parsed[1] === 'string' &&
      typeof parsed[2] === 'string'
    ) {
      return { section: parsed[0] as number, key: parsed[1], id: parsed[2] };
    }
  } catch {
    // fall through: not base64url JSON
  }
  const message = 'The cursor is not valid; start again without one.';
  throw new DomainError('validation_failed', message, { errors: [{ field: '/cursor', message }] });
}

/**
 * `GET /projects/:id/access` (docs/product/console.md#projects,
 * docs/product/security-settings.md#privacy-between-users): explicit grants to users (by username) and groups (by
 * name), then the implicit Admins — the project owner and, for callers with organization.people.view, everyone whose
 * effective instance role is Owner or Admin — marked as such and not removable. Keyset-paged across those sections.
 *
 * Only a caller with organization.people.view sees people's emails. Everyone else (a project Reader, say) gets id and
 * name only, and no "instance Admin" rows at all: naming them would tell those people's instance roles
 * (docs/product/security-settings.md#privacy-between-users). The console says in words that the server's Owners and
 * Admins are project Admins.
 */
export async function listProjectAccess(ctx: OperationContext, projectId: string, query: AccessListQuery = {}): Promise<AccessList> {
  const db = ctx.database.db;
  const actor = callerSubject(ctx);
  const { row, view } = await loadVisibleProject(db, actor, projectId);
  if (!can(actor, 'project.access.view', view)) throw new DomainError('forbidden', 'Seeing who has access needs project.access.view.');
  const manage = whyCannotManageProjectAccess(actor, view) === null;
  const seesPeople = canViewPeople(actor);
  const person = (user: { id: string; username: string; email: string }) =>
    seesPeople ? { id: user.id, name: user.username, email: user.email } : { id: user.id, name: user.username };

  const grantedUsers: Section = async (after, limit) => {
    const rows = await pageOfUserGrants(db, projectId, after, limit);
    return rows.map((g) => ({
      key: g.username,
      id: g.id,
      entry: {
        subjectType: 'user',
        subject: person(g),
        serviceAccount: g.type === 'service_account',
        role: g.role,
        implicit: false,
        source: 'granted',
        removable: manage,
      },
    }));
  };
  const grantedGroups: Section = async (after, limit) => {
    const rows = await pageOfGroupGrants(db, projectId, after, limit);
    return rows.map((g) => ({
      key: g.name_canonical,
      id: g.id,
      entry: {
        subjectType: 'group',
        subject: seesPeople ? { id: g.id, name: g.name, email: null } : { id: g.id, name: g.name },
        serviceAccount: false,
        role: g.role,
        implicit: false,
        source: 'granted to group',
        removable: manage,
      },
    }));
  };
  const projectOwner: Section = async (after) => {
    if (after) return [];
    const owner = await findUser(db, row.owner_id);
    if (!owner) return [];
    return [
      {
        key: owner.username,
        id: owner.id,
        entry: {
          subjectType: 'user',
          subject: person(owner),
          serviceAccount: owner.type === 'service_account',
          role: projectOwnerAccessRole,
          implicit: true,
          source: 'project owner',
          removable: false,
        },
      },
    ];
  };
  const instanceAdmins: Section = async (after, limit) => {
    const roles = { direct: everyProjectAdmins.directRoles, viaGroup: everyProjectAdmins.groupRoles, exceptId: row.owner_id };
    const rows = await pageOfActiveUsersWithRole(db, roles, after, limit);
    return rows.map((admin) => ({
      key: admin.username,
      id: admin.id,
      entry: {
        subjectType: 'user',
        subject: person(admin),
        serviceAccount: admin.type === 'service_account',
        role: everyProjectAdmins.role,
        implicit: true,
        source: everyProjectAdminSource(admin.role),
        removable: false,
      },
    }));
  };

  const sections: Section[] = [grantedUsers, grantedGroups, projectOwner, ...(seesPeople ? [instanceAdmins] : [])];
  const limit = query.limit ?? defaultPageSize;
  const start = query.cursor ? decodeCursor(query.cursor) : { section: 0, key: '', id: '' };
  const collected: Array<KeyedEntry & { section: number }> = [];
  // One more than a page, section after section, tells whether another page follows.
  for (let section = start.section; section < sections.length && collected.length <= limit; section++) {
    const fetch = sections[section];
    if (!fetch) break;
    const after = query.cursor && section === start.section ? { key: start.key, id: start.id } : null;
    const rows = await fetch(after, limit + 1 - collected.length);
    collected.push(...rows.map((keyed) => ({ ...keyed, section })));
  }
  const page = collected.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((keyed) => keyed.entry),
    nextCursor: collected.length > limit && last ? encodeCursor({ section: last.section, key: last.key, id: last.id }) : null,
    abilities: { manage },
  };
}

import type { GroupView } from '../../shared/api/groups.js';
import type { Executor } from '../../storage/database.js';
import { countGroupMembers, groupMemberIds } from '../../storage/queries/group-members.js';
import { findGroupRow } from '../../storage/queries/groups.js';
import type { GroupsTable } from '../../storage/schema.js';
import type { AccessSubject } from '../access/authorize.js';
import { loadAccessSubject } from '../access/load-access-subject.js';
import { DomainError } from '../errors.js';

/** Group names: trimmed, 2–64 characters, no control characters; unique case-insensitively (NFKC + lower case). */
export function parseGroupName(input: string): { name: string; canonical: string } {
  const name = input.normalize('NFKC').trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses.
  if (name.length < 2 || name.length > 64 || /[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/.test(name)) {
    const message = 'Use 2 to 64 visible characters.';
    throw new DomainError('validation_failed', message, { errors: [{ field: '/name', message }] });
  }
  return { name, canonical: name.toLowerCase() };
}

export async function findGroup(db: Executor, id: string) {
  const group = await findGroupRow(db, id);
  if (!group) throw new DomainError('not_found', 'There is no such group.');
  return group;
}

export async function memberCount(db: Executor, groupId: string): Promise<number> {
  return countGroupMembers(db, groupId);
}

export function presentGroup(row: Pick<GroupsTable, 'id' | 'name' | 'description' | 'role' | 'created_at'>, members: number): GroupView {
  return { id: row.id, name: row.name, description: row.description, role: row.role, memberCount: members, createdAt: row.created_at };
}

/** Every member of a group as an access subject, so R2 can be checked for each whose effective role would move. */
export async function loadMemberSubjects(db: Executor, groupId: string): Promise<AccessSubject[]> {
  const ids = await groupMemberIds(db, groupId);
  const subjects = await Promise.all(ids.map((id) => loadAccessSubject(db, id)));
  return subjects.filter((subject): subject is AccessSubject => subject !== null);
}

/** The same subject with one group's role replaced (or the group removed when `role` is undefined). */
export function withGroupRole(
  subject: AccessSubject,
  group: { id: string; name: string },
  role: GroupsTable['role'] | undefined,
): AccessSubject {
  const others = subject.groups.filter((g) => g.id !== group.id);
  return { ...subject, groups: role === undefined ? others : [...others, { id: group.id, name: group.name, role }] };
}

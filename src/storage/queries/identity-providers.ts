import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../database.js';
import type { IdentityProvidersTable } from '../schema.js';

/**
 * Everything that reads or writes `identity_providers` and `identity_provider_group_mappings` (SPEC §12.2,
 * docs/sso.md): the company identity providers people log in with and their group mappings.
 */

export type IdentityProviderRow = Selectable<IdentityProvidersTable>;

/** A mapping with the group it maps onto. */
export interface GroupMappingRow {
  identity_provider_id: string;
  value: string;
  group_id: string;
  group_name: string;
}

/** A group as the mapping rule (§12.2) sees it: does it carry an instance role or project access? */
export interface MappableGroup {
  id: string;
  name: string;
  role: string | null;
  hasProjectAccess: boolean;
}

export function findIdentityProviderRow(db: Executor, id: string): Promise<IdentityProviderRow | undefined> {
  return db.selectFrom('identity_providers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Position after the last row of a page: labels repeat, hence the id. */
export interface IdentityProviderKey {
  label: string;
  id: string;
}

/** A page of providers in (label, id) order; an instance has a handful, the LIMIT bounds what is sent. */
export function pageOfIdentityProviders(db: Executor, after: IdentityProviderKey | null, limit: number): Promise<IdentityProviderRow[]> {
  let query = db.selectFrom('identity_providers').selectAll();
  if (after) query = query.where((eb) => eb(eb.refTuple('label', 'id'), '>', eb.tuple(after.label, after.id)));
  return query.orderBy('label').orderBy('id').limit(limit).execute();
}

/** The group mappings of several providers, keyed by provider id, by value then group name. */
export async function groupMappingsOf(db: Executor, providerIds: readonly string[]): Promise<Map<string, GroupMappingRow[]>> {
  const result = new Map<string, GroupMappingRow[]>();
  if (providerIds.length === 0) return result;
  const rows = await db
    .selectFrom('identity_provider_group_mappings as m')
    .innerJoin('groups', 'groups.id', 'm.group_id')
    .select(['m.identity_provider_id', 'm.value', 'm.group_id', 'groups.name as group_name'])
    .where('m.identity_provider_id', 'in', providerIds)
    .orderBy('m.value')
    .orderBy('groups.name_canonical')
    .execute();
  for (const row of rows) {
    const list = result.get(row.identity_provider_id) ?? [];
    list.push(row);
    result.set(row.identity_provider_id, list);
  }
  return result;
}

/** The groups among `groupIds` that exist, with their instance role and whether any project grants them access. */
export async function mappableGroups(db: Executor, groupIds: readonly string[]): Promise<Map<string, MappableGroup>> {
  const result = new Map<string, MappableGroup>();
  if (groupIds.length === 0) return result;
  const groups = await db.selectFrom('groups').select(['id', 'name', 'role']).where('id', 'in', groupIds).execute();
  const granted = await db
    .selectFrom('project_access')
    .select('subject_id')
    .distinct()
    .where('subject_type', '=', 'group')
    .where('subject_id', 'in', groupIds)
    .execute();
  const withAccess = new Set(granted.map((row) => row.subject_id));
  for (const group of groups) result.set(group.id, { ...group, hasProjectAccess: withAccess.has(group.id) });
  return result;
}

export async function insertIdentityProvider(trx: Executor, row: Insertable<IdentityProvidersTable>): Promise<void> {
  await trx.insertInto('identity_providers').values(row).execute();
}

/**
 * Takes the provider's row lock for the rest of the transaction (a no-op write: a second writer of the same provider
 * waits, then sees the first one's result). False when it does not exist (any more).
 */
export async function lockIdentityProvider(trx: Executor, id: string): Promise<boolean> {
  const result = await trx
    .updateTable('identity_providers')
    .set((eb) => ({ id: eb.ref('id') }))
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function updateIdentityProviderRow(trx: Executor, id: string, change: Updateable<IdentityProvidersTable>): Promise<void> {
  await trx.updateTable('identity_providers').set(change).where('id', '=', id).execute();
}

/** Deletes the provider; its mappings and the identities linked through it go with it (ON DELETE CASCADE). */
export async function deleteIdentityProviderRow(trx: Executor, id: string): Promise<boolean> {
  const result = await trx.deleteFrom('identity_providers').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Replaces the provider's group mappings. */
export async function replaceGroupMappings(
  trx: Executor,
  providerId: string,
  mappings: ReadonlyArray<{ value: string; groupId: string }>,
): Promise<void> {
  await trx.deleteFrom('identity_provider_group_mappings').where('identity_provider_id', '=', providerId).execute();
  if (mappings.length === 0) return;
  await trx
    .insertInto('identity_provider_group_mappings')
    .values(mappings.map((m) => ({ identity_provider_id: providerId, value: m.value, group_id: m.groupId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Whether any identity provider maps a group value onto the group (its memberships are then the provider's). */
export async function isGroupMapped(db: Executor, groupId: string): Promise<boolean> {
  const row = await db
    .selectFrom('identity_provider_group_mappings')
    .select('group_id')
    .where('group_id', '=', groupId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

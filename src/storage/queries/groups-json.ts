import { sql } from 'kysely';
import type { OrganizationRole } from '../../shared/permissions.js';
import type { DialectName } from '../dialects/driver.js';

/** A JSON array aggregated in SQL: SQLite answers its text, PostgreSQL the parsed array (or an array built here). */
export type JsonArray<T> = string | T[];

/** The elements of a `JsonArray` column. */
export function parseJsonArray<T>(value: JsonArray<T>): T[] {
  return typeof value === 'string' ? (JSON.parse(value) as T[]) : value;
}

/** `[id, name, role]` of each group. */
export type GroupsJson = JsonArray<[string, string, Exclude<OrganizationRole, 'owner'> | null]>;

/**
 * The groups of the `users` row in scope as one JSON array of `[id, name, role]`, in group-name order: a read returns
 * one row per user however many groups they are in. Fifty groups as fifty joined rows of every user column cost ten
 * times as much on SQLite as this (0.57 ms against 0.05 ms, docs/product/speed-targets.md#at-company-scale). SQLite
 * answers text; PostgreSQL a parsed array.
 *
 * One probe of `groups` by id per membership, whatever the number of groups. On PostgreSQL the probe is a LATERAL
 * subquery with a LIMIT (an id names one group at most): a prepared statement runs a generic plan after its fifth
 * execution, and with the probe written as a join the generic plan of a company-sized directory hashed every group
 * (2,051 rows read for a person in 50; docs/decisions/0027-authorize-one-read.md, third amendment).
 */
export function groupsAsJson(dialect: DialectName) {
  return dialect === 'postgres'
    ? sql<GroupsJson>`(select coalesce(json_agg(json_build_array(g.id, g.name, g.role) order by g.name_canonical), '[]'::json) from group_members gm cross join lateral (select g.id, g.name, g.role, g.name_canonical from groups g where g.id = gm.group_id limit 1) g where gm.user_id = users.id)`
    : sql<GroupsJson>`(select json_group_array(json_array(id, name, role)) from (select g.id, g.name, g.role from group_members gm join groups g on g.id = gm.group_id where gm.user_id = users.id order by g.name_canonical))`;
}

/** The groups of a `groupsAsJson` column. */
export const parseGroupsJson = parseJsonArray<Exclude<GroupsJson, string>[number]>;

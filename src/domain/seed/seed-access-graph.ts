import { randomUUID } from 'node:crypto';
import { type ProjectRole, projectRoleIds } from '../../shared/permissions.js';
import {
  activePeopleByName,
  analyzeAccessGraph,
  countRows,
  groupsByName,
  insertGrantsSkippingTaken,
  insertGroupsSkippingTaken,
  insertMembershipsSkippingTaken,
  insertProjectsSkippingTaken,
  projectsByName,
} from '../../storage/queries/access-graph-seed.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { parseGroupName } from '../groups/group-records.js';
import { maxSeedCount } from '../people/seed-limits.js';
import { parseProjectName } from '../projects/project-views.js';
import { prng } from './prng.js';

/** Rows per INSERT: 500 × 6 parameters stays far below SQLite's and PostgreSQL's bind-parameter limits. */
const rowsPerInsert = 500;

export interface AccessGraphCounts {
  projects: number;
  groups: number;
  grants: number;
  memberships: number;
}

export interface AccessGraphSeedInput extends AccessGraphCounts {
  /** The same seed on the same people draws the same graph (names, owners, members, grants); ids are always new. */
  seed: number;
  onProgress?: (what: keyof AccessGraphCounts, done: number, total: number) => void;
}

/** What was added, and how many drawn rows an existing one already held (a name in use, a membership twice). */
export type AccessGraphSeeded = Record<keyof AccessGraphCounts, { created: number; skipped: number }>;

// Grants to groups outnumber grants to single people in a company that manages access well; most grants read.
const groupGrantShare = 0.7;
const roleWeights: ReadonlyArray<[ProjectRole, number]> = [
  ['reader', 0.5],
  ['contributor', 0.35],
  ['admin', 0.15],
];

function check(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new DomainError('validation_failed', `--${name} must be a whole number from ${min} to ${max}.`);
  }
}

/**
 * `roster admin seed --projects/--groups/--grants/--memberships [--seed]` (docs/product/running.md#command-line): a
 * company-sized access graph for demos and benchmarks, drawn from the active people already there (seed them first
 * with `--people`). Projects get owners among those people; memberships and grants favour some groups and projects
 * (the square of a uniform draw), as real directories have a few large groups and many small ones; 70 % of grants go
 * to groups. One transaction, one `access.seeded` audit event; a drawn row that an existing one already holds (a name
 * in use, the same membership twice) is skipped and counted, not an error.
 */
export async function seedAccessGraph(ctx: OperationContext, input: AccessGraphSeedInput): Promise<AccessGraphSeeded> {
  for (const name of ['projects', 'groups', 'grants', 'memberships'] as const) check(name, input[name], 0, maxSeedCount);
  check('seed', input.seed, 0, 2 ** 32 - 1);
  const random = prng(input.seed * 2_654_435_761 + 1);
  const pick = <T>(list: readonly T[], skewed = false): T => {
    const draw = random();
    return list[Math.floor((skewed ? draw * draw : draw) * list.length)] as T;
  };
  const pickRole = (): ProjectRole => {
    let draw = random();
    for (const [role, weight] of roleWeights) {
      draw -= weight;
      if (draw < 0) return role;
    }
    return projectRoleIds[projectRoleIds.length - 1] as ProjectRole;
  };
  const now = ctx.now().toISOString();
  const result: AccessGraphSeeded = {
    projects: { created: 0, skipped: 0 },
    groups: { created: 0, skipped: 0 },
    grants: { created: 0, skipped: 0 },
    memberships: { created: 0, skipped: 0 },
  };

  /** Draws `total` rows in batches and inserts each batch; counts what went in. */
  async function inBatches<Row>(
    what: keyof AccessGraphCounts,
    total: number,
    draw: (index: number) => Row,
    insert: (rows: Row[]) => Promise<number>,
  ): Promise<void> {
    for (let start = 0; start < total; start += rowsPerInsert) {
      const rows = Array.from({ length: Math.min(rowsPerInsert, total - start) }, (_, i) => draw(start + i));
      result[what].created += await insert(rows);
      input.onProgress?.(what, start + rows.length, total);
    }
    result[what].skipped = total - result[what].created;
  }

  await ctx.database.transact(async (trx) => {
    const people = await activePeopleByName(trx);
    if (people.length === 0 && (input.projects > 0 || input.grants > 0 || input.memberships > 0)) {
      throw new DomainError(
        'validation_failed',
        'There are no active people to own projects, join groups or hold grants: seed --people first.',
      );
    }

    const firstProject = (await countRows(trx, 'projects')) + 1;
    await inBatches(
      'projects',
      input.projects,
      (i) => {
        const { name, canonical } = parseProjectName(`seed-project-${firstProject + i}`);
        return { id: randomUUID(), name, name_canonical: canonical, description: '', owner_id: pick(people), created_at: now };
      },
      (rows) => insertProjectsSkippingTaken(trx, rows),
    );

    const firstGroup = (await countRows(trx, 'groups')) + 1;
    await inBatches(
      'groups',
      input.groups,
      (i) => {
        const { name, canonical } = parseGroupName(`seed-group-${firstGroup + i}`);
        return { id: randomUUID(), name, name_canonical: canonical, description: '', role: null, created_at: now };
      },
      (rows) => insertGroupsSkippingTaken(trx, rows),
    );

    const groups = await groupsByName(trx);
    if (groups.length === 0 && input.memberships > 0) {
      throw new DomainError('validation_failed', 'There are no groups to add members to: add --groups.');
    }
    await inBatches(
      'memberships',
      input.memberships,
      () => ({ group_id: pick(groups, true), user_id: pick(people), created_at: now }),
      (rows) => insertMembershipsSkippingTaken(trx, rows),
    );

    const projects = await projectsByName(trx);
    if (projects.length === 0 && input.grants > 0) {
      throw new DomainError('validation_failed', 'There are no projects to grant access to: add --projects.');
    }
    await inBatches(
      'grants',
      input.grants,
      () => {
        const toGroup = groups.length > 0 && random() < groupGrantShare;
        return {
          project_id: pick(projects, true),
          subject_type: toGroup ? ('group' as const) : ('user' as const),
          subject_id: toGroup ? pick(groups) : pick(people),
          role: pickRole(),
          created_at: now,
        };
      },
      (rows) => insertGrantsSkippingTaken(trx, rows),
    );

    await analyzeAccessGraph(ctx.database, trx);
    await recordAuditEvent(ctx, trx, {
      action: 'access.seeded',
      target: { type: 'instance', id: null, name: null },
      details: {
        seed: input.seed,
        projects: result.projects.created,
        groups: result.groups.created,
        memberships: result.memberships.created,
        grants: result.grants.created,
      },
    });
  });
  return result;
}

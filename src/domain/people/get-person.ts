import type { PersonDetail } from '../../shared/api/people.js';
import type { Executor } from '../../storage/database.js';
import { projectsOwnedBy } from '../../storage/queries/projects.js';
import { serviceAccountsCreatedBy } from '../../storage/queries/service-accounts.js';
import { countActiveOwners, findActiveUser } from '../../storage/queries/users.js';
import { type AccessSubject, effectiveRoleName } from '../access/authorize.js';
import { canViewPeople, personAbilities } from '../access/policies/people-policy.js';
import { isLocked } from '../auth/lockout.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { loadPerson } from './load-person.js';
import { presentUser } from './present-user.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One person for the Edit user dialog: their groups, lock state, owned projects and what the caller may do
 * (docs/product/console.md#people). `idOrUsername` is an id, or the username of an active account (the console's
 * `/people/<username>` address).
 */
export async function getPerson(ctx: OperationContext, idOrUsername: string): Promise<PersonDetail> {
  const db = ctx.database.db;
  const actor = callerSubject(ctx);
  const now = ctx.now();
  if (!canViewPeople(actor)) throw new DomainError('forbidden', 'You need the organization.people.view permission to see people.');
  if (uuidPattern.test(idOrUsername)) return describePerson(db, actor, idOrUsername, now);
  const byName = await findActiveUser(db, { kind: 'username', value: idOrUsername.normalize('NFKC').toLowerCase() });
  if (!byName) throw new DomainError('not_found', 'No person has this id or username.');
  return describePerson(db, actor, byName.id, now);
}

/** The person as `actor` sees them, without the view check: the answer to a change the actor just made. */
export async function describePerson(db: Executor, actor: AccessSubject, id: string, now: Date): Promise<PersonDetail> {
  const person = await loadPerson(db, id);
  if (!person) throw new DomainError('not_found', 'No person has this id.');
  const [activeOwners, ownedProjects, createdServiceAccounts] = await Promise.all([
    countActiveOwners(db),
    projectsOwnedBy(db, id),
    serviceAccountsCreatedBy(db, id),
  ]);
  const { disabledReasons, ...abilities } = personAbilities(actor, person.subject, { activeOwners });
  return {
    ...presentUser(person.row),
    effectiveRole: effectiveRoleName(person.subject),
    groups: person.subject.groups.map((group) => ({ id: group.id, name: group.name })),
    locked: isLocked(person.row.locked_until, now),
    ownedProjects,
    createdServiceAccounts,
    abilities: { ...abilities, disabledReasons },
  };
}

import type { ProjectRole } from '../../api/catalogue';
import { projectRoleIds } from '../../api/catalogue';
import type { AccessEntry } from '../../api/projects';
import { projectRoleLabel } from './project-role';

/** One person or group on the project's People tab, with every reason they have access (docs/product/console.md#projects). */
export interface AccessRow {
  key: string;
  subjectType: AccessEntry['subjectType'];
  subject: AccessEntry['subject'];
  serviceAccount: boolean;
  /** The highest role any reason gives. */
  role: ProjectRole;
  /** The explicit grant, which the role picker and × change; null when all access is implicit. */
  granted: AccessEntry | null;
  /** Every reason in words: "Project owner (Admin)", "Granted: Contributor". */
  reasons: string[];
}

const rank = (role: ProjectRole) => projectRoleIds.indexOf(role);

function reason(entry: AccessEntry): string {
  const role = projectRoleLabel(entry.role);
  if (!entry.implicit) return entry.subjectType === 'group' ? `Granted to the group: ${role}` : `Granted: ${role}`;
  const source = entry.source.charAt(0).toUpperCase() + entry.source.slice(1);
  return `${source} (${role})`;
}

/**
 * Folds the server's entries (one per subject and reason) into one row per subject, in the order they came. Someone
 * who owns the project and was also granted a role appears once, with both reasons.
 */
export function accessRows(entries: readonly AccessEntry[]): AccessRow[] {
  const rows = new Map<string, AccessRow>();
  for (const entry of entries) {
    const key = `${entry.subjectType}:${entry.subject.id}`;
    const row = rows.get(key);
    if (!row) {
      rows.set(key, {
        key,
        subjectType: entry.subjectType,
        subject: entry.subject,
        serviceAccount: entry.serviceAccount,
        role: entry.role,
        granted: entry.implicit ? null : entry,
        reasons: [reason(entry)],
      });
      continue;
    }
    if (rank(entry.role) < rank(row.role)) row.role = entry.role;
    if (!entry.implicit) row.granted = entry;
    row.reasons.push(reason(entry));
    if ('email' in entry.subject && !('email' in row.subject)) row.subject = entry.subject;
  }
  return [...rows.values()];
}

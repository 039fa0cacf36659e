import type { PermissionView } from '../../api/roles';

export interface PermissionArea {
  key: string;
  label: string;
  permissions: PermissionView[];
}

/** `organization.people.view` → `people`; `organization.view` → `general` (a permission on the scope itself). */
function areaOf(name: string): string {
  const parts = name.split('.');
  return parts.length > 2 ? (parts[1] ?? 'general') : 'general';
}

/** "self_hosted_agents" → "Self hosted agents". */
function labelOf(area: string): string {
  const words = area.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Permissions grouped by their area, in catalogue order (the order of each area's first permission). */
export function groupByArea(permissions: PermissionView[]): PermissionArea[] {
  const areas = new Map<string, PermissionArea>();
  for (const permission of permissions) {
    const key = areaOf(permission.name);
    let area = areas.get(key);
    if (!area) {
      area = { key, label: labelOf(key), permissions: [] };
      areas.set(key, area);
    }
    area.permissions.push(permission);
  }
  return [...areas.values()];
}

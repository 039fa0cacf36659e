import { Badge, Group, Text } from '@mantine/core';
import type { Application } from '../../api/applications';

// Dark shades, so that the badges' text keeps WCAG AA contrast at badge size (like the role badges).

/** Confidential (keeps a client secret) or Public (PKCE only). */
export function ApplicationTypeBadge({ type }: { type: Application['type'] }) {
  return (
    <Badge component="span" color={type === 'confidential' ? 'navy' : '#2b6a5c'} variant="light" radius="sm" tt="none" fw={600}>
      {type === 'confidential' ? 'Confidential' : 'Public'}
    </Badge>
  );
}

export function FirstPartyBadge() {
  return (
    <Badge component="span" color="#862e9c" variant="light" radius="sm" tt="none" fw={600}>
      First-party
    </Badge>
  );
}

/** Who may sign in: everyone, or the names of the allowed groups. */
export function AllowedGroups({ application }: { application: Application }) {
  if (application.allowedGroups === null) return <Text span>Everyone</Text>;
  // Restricted to groups that were all deleted since: nobody, until a manager picks groups again or opens it to everyone.
  if (application.allowedGroups.length === 0) return <Text span>Nobody (its groups were deleted)</Text>;
  return (
    <Group component="span" gap={4} wrap="wrap" style={{ display: 'inline-flex' }}>
      <Text span c="dimmed" fz="sm">
        Members of
      </Text>
      {application.allowedGroups.map((group, index) => (
        <Text span key={group.id} fz="sm" fw={500}>
          {group.name}
          {index < (application.allowedGroups?.length ?? 0) - 1 ? ',' : ''}
        </Text>
      ))}
    </Group>
  );
}

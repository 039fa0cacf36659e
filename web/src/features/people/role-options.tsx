import { Paper, Radio, Stack, Text, Tooltip } from '@mantine/core';
import { organizationRoleIds, organizationRoles } from '../../api/catalogue';
import type { PersonAbilities } from '../../api/people';
import type { InstanceRoleId } from '../../api/types';

interface RoleOptionsProps {
  value: InstanceRoleId;
  onChange: (role: InstanceRoleId) => void;
  abilities: PersonAbilities;
}

/**
 * Owner / Admin / Member as radio options with their descriptions (docs/product/console.md#people). Options the server
 * did not allow are disabled; the reason is both in a tooltip and in the option's visible description, so everyone can
 * read it.
 */
export function RoleOptions({ value, onChange, abilities }: RoleOptionsProps) {
  return (
    <Radio.Group
      label="Role"
      value={value}
      onChange={(role) => onChange(role as InstanceRoleId)}
      description={abilities.changeRole ? undefined : 'You cannot change the role of this person.'}
    >
      <Stack gap={6} mt="xs">
        {organizationRoleIds.map((role) => {
          const allowed = abilities.changeRole && abilities.allowedRoles.includes(role);
          const reason = allowed ? null : (abilities.disabledReasons[role] ?? null);
          const option = <RoleChoice key={role} role={role} checked={value === role} allowed={allowed} reason={reason} />;
          return reason === null ? (
            <div key={role}>{option}</div>
          ) : (
            <Tooltip key={role} label={reason} multiline w={280} withArrow position="top-start">
              <div>{option}</div>
            </Tooltip>
          );
        })}
      </Stack>
    </Radio.Group>
  );
}

/**
 * One role as a radio card: its name and the catalogue's description, and when it is not allowed, greyed out with the
 * reason in its visible description. Used for people (RoleOptions) and service accounts.
 */
export function RoleChoice({
  role,
  checked,
  allowed,
  reason,
}: {
  role: InstanceRoleId;
  checked: boolean;
  allowed: boolean;
  reason: string | null;
}) {
  return (
    <Paper
      withBorder
      p="sm"
      bg={checked ? 'navy.0' : allowed ? undefined : 'gray.0'}
      style={checked ? { borderColor: 'var(--mantine-color-navy-7)' } : undefined}
    >
      <Radio
        value={role}
        disabled={!allowed}
        label={
          <Text fw={700} fz="sm" c={allowed ? undefined : 'dimmed'} span>
            {organizationRoles[role].name}
          </Text>
        }
        description={
          <>
            {organizationRoles[role].description}
            {reason !== null && (
              <Text span display="block" fz="xs" fw={600} mt={4} c="dimmed">
                Not available: {reason}
              </Text>
            )}
          </>
        }
        styles={{ description: { color: 'var(--mantine-color-dimmed)' }, label: { cursor: allowed ? 'pointer' : 'not-allowed' } }}
      />
    </Paper>
  );
}

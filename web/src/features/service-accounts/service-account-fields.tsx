import { Radio, Select, Stack } from '@mantine/core';
import { type ExpiresInDays, type ServiceAccountRole, tokenExpiryChoices } from '../../api/service-accounts';
import { RoleChoice } from '../people/role-options';

/** The roles a service account can hold: never Owner (docs/product/console.md#service-accounts). */
const serviceAccountRoles: readonly ServiceAccountRole[] = ['member', 'admin'];

interface RoleFieldProps {
  value: ServiceAccountRole;
  onChange: (role: ServiceAccountRole) => void;
  /** Admin is offered only where the server allows it (Owners); otherwise it shows why not. */
  adminAllowed: boolean;
  /** Set when the role cannot be changed at all here, with the reason. */
  disabledReason?: string | undefined;
}

/** Member / Admin as radio options with the catalogue's descriptions; Admin disabled with its reason for non-Owners. */
export function ServiceAccountRoleField({ value, onChange, adminAllowed, disabledReason }: RoleFieldProps) {
  return (
    <Radio.Group
      label="Role"
      value={value}
      onChange={(role) => onChange(role === 'admin' ? 'admin' : 'member')}
      description={disabledReason}
    >
      <Stack gap={6} mt="xs">
        {serviceAccountRoles.map((role) => {
          const allowed = disabledReason === undefined && (role === 'member' || adminAllowed);
          const reason =
            role === 'admin' && !adminAllowed && disabledReason === undefined ? 'only Owners give a service account the Admin role.' : null;
          return <RoleChoice key={role} role={role} checked={value === role} allowed={allowed} reason={reason} />;
        })}
      </Stack>
    </Radio.Group>
  );
}

const dayLabels: Record<(typeof tokenExpiryChoices)[number], string> = { 30: '30 days', 90: '90 days', 365: '1 year (365 days)' };

/** The lifetimes of the API's schema, in words; `never` stands for null. */
const lifetimes: { value: string; days: ExpiresInDays; label: string }[] = [
  ...tokenExpiryChoices.map((days) => ({ value: String(days), days, label: dayLabels[days] })),
  { value: 'never', days: null, label: 'Never expires' },
];

/** The token's lifetime: 30, 90 (the default) or 365 days, or never (offered to Owners only). */
export function ExpiresInDaysField({
  value,
  onChange,
  neverAllowed,
  label = 'Token expiry',
}: {
  value: ExpiresInDays;
  onChange: (days: ExpiresInDays) => void;
  neverAllowed: boolean;
  label?: string;
}) {
  return (
    <Select
      label={label}
      description={
        neverAllowed
          ? 'The token stops working after this time; regenerate it to continue.'
          : 'Only Owners can make a token that never expires.'
      }
      data={lifetimes.map((lifetime) => ({
        value: lifetime.value,
        label: lifetime.label,
        disabled: lifetime.days === null && !neverAllowed,
      }))}
      value={value === null ? 'never' : String(value)}
      onChange={(selected) => {
        const lifetime = lifetimes.find((candidate) => candidate.value === selected);
        if (lifetime) onChange(lifetime.days);
      }}
      allowDeselect={false}
      comboboxProps={{ withinPortal: true }}
      maw={320}
    />
  );
}

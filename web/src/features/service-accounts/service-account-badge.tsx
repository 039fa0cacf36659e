import { Badge } from '@mantine/core';
import { IconServiceAccount } from '../../components/icons';

/** Marks a service account wherever accounts are listed or picked (docs/product/console.md#service-accounts). */
export function ServiceAccountBadge({ size = 'sm' }: { size?: 'xs' | 'sm' }) {
  return (
    <Badge
      component="span"
      color="#5f3dc4"
      variant="light"
      radius="sm"
      tt="none"
      size={size}
      fw={600}
      leftSection={<IconServiceAccount size={size === 'xs' ? 11 : 13} />}
      style={{ flex: 'none' }}
      data-service-account-badge=""
    >
      Service account
    </Badge>
  );
}

import { Badge, VisuallyHidden } from '@mantine/core';

/**
 * A person's two-factor authentication, On or Off (docs/product/console.md#people). The visible word is short for the
 * table; screen readers hear the whole name wherever the badge stands.
 */
export function TwoFactorBadge({ enabled }: { enabled: boolean }) {
  return (
    <Badge color={enabled ? 'green' : 'gray'} variant="light" tt="none" radius="sm" data-mfa={enabled ? 'on' : 'off'}>
      <VisuallyHidden>Two-factor authentication </VisuallyHidden>
      {enabled ? 'On' : 'Off'}
    </Badge>
  );
}

import { Group, Text } from '@mantine/core';
import { IconCheck } from './icons';

/**
 * The success line shown under a form after its action worked. A polite live region, so that screen readers announce
 * it without moving focus; rendered (empty) all the time so that the announcement is not lost on first appearance.
 */
export function SuccessMessage({ message }: { message: string | null }) {
  return (
    <div role="status" aria-live="polite">
      {message !== null && (
        <Group gap={6} wrap="nowrap" c="var(--mantine-color-green-light-color)">
          <IconCheck size={18} />
          <Text size="sm" fw={600} c="var(--mantine-color-green-light-color)">
            {message}
          </Text>
        </Group>
      )}
    </div>
  );
}

import { Stack, type StackProps, Text } from '@mantine/core';
import type { ReactNode } from 'react';

interface ReadOnlyFieldsProps extends Pick<StackProps, 'maw'> {
  fields: ReadonlyArray<{ label: string; value: ReactNode }>;
}

/**
 * Values the viewer cannot change, shown as text in a description list rather than as inputs that look editable
 * (docs/decisions/0015-console-polish.md).
 */
export function ReadOnlyFields({ fields, maw }: ReadOnlyFieldsProps) {
  return (
    <Stack gap="sm" component="dl" m={0} maw={maw}>
      {fields.map((field) => (
        <div key={field.label}>
          <Text component="dt" fw={600} fz="sm">
            {field.label}
          </Text>
          <Text component="dd" m={0} style={{ overflowWrap: 'anywhere' }}>
            {field.value}
          </Text>
        </div>
      ))}
    </Stack>
  );
}

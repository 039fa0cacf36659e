import { Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A quiet box for "nothing here yet" and "nothing matches", with an optional way forward. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <Paper withBorder p={{ base: 'lg', sm: 32 }} bg="gray.0">
      <Stack align="center" gap={6} ta="center" maw={520} mx="auto">
        <Title order={3} fz="h4">
          {title}
        </Title>
        {children !== undefined && <Text c="dimmed">{children}</Text>}
        {action}
      </Stack>
    </Paper>
  );
}

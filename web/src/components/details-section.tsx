import { Paper, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** One titled block of a details page (an application's, an identity provider's): a labelled section with its own h2. */
export function DetailsSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper component="section" withBorder p={{ base: 'md', sm: 'xl' }} aria-label={title}>
      <Stack gap="md">
        <Title order={2} fz="h3">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

import { Anchor, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconTool } from './icons';

/** The placeholder of an area that a later release fills in. */
export function ComingSoon({ area }: { area: string }) {
  return (
    <Paper withBorder p={{ base: 'lg', sm: 40 }} bg="gray.0">
      <Stack align="center" gap="sm" ta="center" maw={520} mx="auto">
        <ThemeIcon size={56} radius="xl" variant="light" color="navy" aria-hidden="true">
          <IconTool size={28} />
        </ThemeIcon>
        <Title order={2} fz="h3">
          Coming soon
        </Title>
        <Text c="dimmed">
          {area} arrives in the console in a coming release. Until then, the same actions are available through the{' '}
          <Anchor href="/api/docs">REST API</Anchor> and the <code>roster</code> command-line tool.
        </Text>
      </Stack>
    </Paper>
  );
}

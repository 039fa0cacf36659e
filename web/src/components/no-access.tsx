import { Button, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { Link } from 'react-router';
import { IconLock } from './icons';

/** Shown instead of a page whose ability the server did not grant to this caller. */
export function NoAccess() {
  return (
    <Paper withBorder p={{ base: 'lg', sm: 40 }}>
      <Stack align="center" gap="sm" ta="center" maw={520} mx="auto">
        <ThemeIcon size={56} radius="xl" variant="light" color="gray" aria-hidden="true">
          <IconLock size={28} />
        </ThemeIcon>
        <Title order={2} fz="h3">
          You don't have access to this page
        </Title>
        <Text c="dimmed">
          Your role on this server does not include this area. If you need it, ask an Owner or an Admin to change your role or to add you to
          a group that has it.
        </Text>
        <Button component={Link} to="/" variant="default" mt="xs">
          Back to home
        </Button>
      </Stack>
    </Paper>
  );
}

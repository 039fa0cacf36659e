import { Paper, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useId } from 'react';

interface SettingsSectionProps {
  title: string;
  /** Anchor of the section, for "On this page" links (`/profile#sessions`). */
  id?: string;
  description?: ReactNode;
  children: ReactNode;
}

/** One titled block of a settings page (Profile settings, a group's page): a landmark with its own h2. */
export function SettingsSection({ title, id, description, children }: SettingsSectionProps) {
  const titleId = useId();
  return (
    <Paper
      component="section"
      id={id}
      aria-labelledby={titleId}
      withBorder
      p={{ base: 'md', sm: 'xl' }}
      // Below the sticky top bar when reached through an anchor.
      style={{ scrollMarginTop: 80 }}
    >
      <Stack gap="md">
        <Stack gap={4}>
          <Title order={2} fz="h3" id={titleId}>
            {title}
          </Title>
          {description !== undefined && (
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          )}
        </Stack>
        {children}
      </Stack>
    </Paper>
  );
}

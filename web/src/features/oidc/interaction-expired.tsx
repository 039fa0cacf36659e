import { Stack, Text, ThemeIcon } from '@mantine/core';
import { IconAlert } from '../../components/icons';
import { InteractionHeading } from './interaction-parts';

/**
 * A sign-in request the provider no longer knows in this browser (`interaction_not_found`): it expired, was already
 * answered, or was started in another browser. Only the application can start a new one.
 */
export function InteractionExpired() {
  return (
    <Stack gap="lg">
      <Stack align="center">
        <ThemeIcon size={52} radius="xl" variant="light" color="orange" aria-hidden="true">
          <IconAlert size={26} />
        </ThemeIcon>
      </Stack>
      <InteractionHeading title="This sign-in request has expired" />
      <Text ta="center" size="lg">
        Go back to the application and start again.
      </Text>
      <Text ta="center" size="sm" c="dimmed">
        A sign-in request lasts a few minutes and works only in the browser that started it.
      </Text>
    </Stack>
  );
}

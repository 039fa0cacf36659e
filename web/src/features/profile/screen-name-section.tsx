import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { errorDetail, fieldError } from '../../api/problem-fields';
import { updateScreenName } from '../../api/profile';
import { SettingsSection } from '../../components/settings-section';
import { SuccessMessage } from '../../components/status-message';
import { meQueryKey } from '../session/me-query';
import { useSession } from '../session/session-context';

export const usernameRule = '2 to 39 characters: lower-case letters, digits, "-", "_" and "."; starting and ending with a letter or digit.';

/**
 * Screen name (docs/product/data.md#usernames, docs/product/console.md#profile-settings): the handle others see. Errors
 * from the server show next to the field.
 */
export function ScreenNameSection() {
  const me = useSession();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState(me.user.username);
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState<string | null>(null);

  const mutation = useMutation({
    mutationFn: updateScreenName,
    onSuccess: (updated) => {
      queryClient.setQueryData(meQueryKey, updated);
      setUsername(updated.user.username);
      setSaved(`Screen name saved. You are now ${updated.user.username}.`);
    },
    onError: (failure) => setError(fieldError(failure, 'username', ['username_taken', 'invalid_username']) ?? errorDetail(failure)),
  });

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    setSaved(null);
    if (username.trim() === '') {
      setError('Enter a screen name.');
      return;
    }
    setError(undefined);
    mutation.mutate(username.trim());
  }

  return (
    <SettingsSection
      id="screen-name"
      title="Screen name"
      description="Your handle on this server. Others find and mention you by it; you can log in with it."
    >
      <form onSubmit={submit} noValidate aria-label="Screen name">
        <Stack gap="sm">
          <TextInput
            label="Screen name"
            description={usernameRule}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            maw={480}
            value={username}
            onChange={(event) => {
              setUsername(event.currentTarget.value);
              setSaved(null);
              // A stale "taken" must not stay red while the name changes (e.g. back to the current one).
              setError(undefined);
            }}
            error={error}
          />
          <Group>
            <Button type="submit" loading={mutation.isPending} disabled={username.trim() === me.user.username}>
              Save changes
            </Button>
          </Group>
          <SuccessMessage message={saved} />
        </Stack>
      </form>
    </SettingsSection>
  );
}

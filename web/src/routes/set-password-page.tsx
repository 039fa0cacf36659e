import { Alert, Button, Paper, PasswordInput, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { changePassword } from '../api/auth';
import { isApiError } from '../api/client';
import { AuthLayout } from '../components/auth-layout';
import { IconAlert, IconKey } from '../components/icons';
import { LogOutBeforePasswordChange } from '../features/auth/log-out-before-password-change';
import { forgetTemporaryPassword, recallTemporaryPassword } from '../features/auth/temporary-password';
import { meQueryOptions } from '../features/session/me-query';
import { useSession } from '../features/session/session-context';

interface FieldErrors {
  currentPassword?: string;
  newPassword?: string;
  confirmPassword?: string;
}

const showPassword = { 'aria-label': 'Show password' };

/**
 * The only page of a restricted session (SPEC §4.3): whoever logged in with a temporary password sets their own
 * before anything else. The temporary password typed at login is reused; after a reload it is asked again.
 */
export function SetPasswordPage() {
  useDocumentTitle('Set a new password · Roster');
  const me = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const [rememberedPassword] = useState(recallTemporaryPassword);
  const [askCurrent, setAskCurrent] = useState(rememberedPassword === null);
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirmPassword, setConfirmPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const currentRef = useRef<HTMLInputElement>(null);
  const newRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);

  const mutation = useMutation({
    mutationFn: changePassword,
    onSuccess: async () => {
      forgetTemporaryPassword();
      // Full access now: the new session has the user's real permissions, which a fresh /me brings to the menus.
      await navigate('/', { replace: true });
      await queryClient.fetchQuery({ ...meQueryOptions, staleTime: 0 });
      notifications.show({ color: 'green', title: 'Password changed', message: 'Your new password is set.' });
    },
    onError: (error) => {
      if (isApiError(error, { code: 'password_policy' })) {
        setErrors({ newPassword: error.detail });
        newRef.current?.focus();
      } else if (isApiError(error, { code: 'invalid_current_password' })) {
        setAskCurrent(true);
        setErrors({
          currentPassword: askCurrent ? 'This is not your current password.' : 'Enter the temporary password you logged in with.',
        });
        // The field may only now appear: focus it after React has rendered it.
        requestAnimationFrame(() => currentRef.current?.focus());
      } else {
        setFormError(isApiError(error) ? error.detail : 'Something went wrong. Please try again.');
      }
    },
  });

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const current = askCurrent ? currentPassword : (rememberedPassword ?? '');
    const found: FieldErrors = {};
    if (askCurrent && current === '') found.currentPassword = 'Enter the temporary password you logged in with.';
    if (newPassword === '') found.newPassword = 'Enter a new password.';
    else if (newPassword === current) found.newPassword = 'Choose a password that differs from the temporary one.';
    if (confirmPassword === '') found.confirmPassword = 'Enter the new password again.';
    else if (newPassword !== '' && confirmPassword !== newPassword) found.confirmPassword = 'The passwords do not match.';
    setErrors(found);
    setFormError(null);
    const firstInvalid = found.currentPassword ? currentRef : found.newPassword ? newRef : found.confirmPassword ? confirmRef : null;
    if (firstInvalid) {
      firstInvalid.current?.focus();
      return;
    }
    mutation.mutate({ currentPassword: current, newPassword });
  }

  return (
    <AuthLayout actions={<LogOutBeforePasswordChange />}>
      <Stack gap="lg">
        <Stack gap="xs" align="center" ta="center">
          <ThemeIcon size={52} radius="xl" variant="light" aria-hidden="true">
            <IconKey size={26} />
          </ThemeIcon>
          <Title order={1} fz={28}>
            Set a new password
          </Title>
          <Text c="dimmed">
            Welcome, <strong>{me.user.username}</strong>. You logged in with a temporary password; choose your own to continue.
          </Text>
        </Stack>
        <Paper withBorder shadow="xs" p={{ base: 'lg', sm: 'xl' }} radius="md" bg="white">
          <form onSubmit={submit} noValidate aria-label="Set a new password">
            <Stack gap="md">
              {formError !== null && (
                <Alert color="red" variant="light" icon={<IconAlert />} title="Could not set the password">
                  {formError}
                </Alert>
              )}
              {/* A username field lets password managers file the new password under the right account. */}
              <input type="hidden" name="username" autoComplete="username" value={me.user.username} readOnly />
              {askCurrent && (
                <PasswordInput
                  ref={currentRef}
                  label="Current (temporary) password"
                  description="The password you were given and just logged in with."
                  name="current-password"
                  autoComplete="current-password"
                  required
                  withAsterisk={false}
                  value={currentPassword}
                  onChange={(event) => setCurrentPassword(event.currentTarget.value)}
                  error={errors.currentPassword}
                  visibilityToggleButtonProps={showPassword}
                />
              )}
              <PasswordInput
                ref={newRef}
                label="New password"
                description="Use a long passphrase, for example four or more random words. Common passwords, your name and your email are refused."
                name="new-password"
                autoComplete="new-password"
                required
                withAsterisk={false}
                autoFocus={!askCurrent}
                value={newPassword}
                onChange={(event) => setNewPassword(event.currentTarget.value)}
                error={errors.newPassword}
                visibilityToggleButtonProps={showPassword}
              />
              <PasswordInput
                ref={confirmRef}
                label="Confirm new password"
                name="confirm-password"
                autoComplete="new-password"
                required
                withAsterisk={false}
                value={confirmPassword}
                onChange={(event) => setConfirmPassword(event.currentTarget.value)}
                error={errors.confirmPassword}
                visibilityToggleButtonProps={showPassword}
              />
              <Button type="submit" fullWidth size="md" loading={mutation.isPending}>
                Set password and continue
              </Button>
            </Stack>
          </form>
        </Paper>
      </Stack>
    </AuthLayout>
  );
}

import { Alert, Button, Paper, PasswordInput, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { changePassword } from '../api/auth';
import { isApiError } from '../api/client';
import { AuthLayout } from '../components/auth-layout';
import { IconAlert, IconKey } from '../components/icons';
import { LogOutBeforePasswordChange } from '../features/auth/log-out-before-password-change';
import { forgetTemporaryPassword, recallTemporaryPassword } from '../features/auth/temporary-password';
import { safeInteractionPath } from '../features/oidc/interaction-path';
import { meQueryOptions } from '../features/session/me-query';
import { useSession } from '../features/session/session-context';

interface FieldErrors {
  newPassword?: string;
  confirmPassword?: string;
}

const showPassword = { 'aria-label': 'Show password' };

/**
 * The only page of a restricted session (docs/product/console.md#first-login-and-forced-password-change): whoever
 * logged in with a temporary password sets their own before anything else, then continues to the page they asked for,
 * or, with `?next=/interaction/<uid>`, back to the application's sign-in that sent them here. The temporary password
 * is never asked again.
 */
export function SetPasswordPage() {
  useDocumentTitle('Set a new password · Roster');
  const me = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const location = useLocation();
  // Only the path of a sign-in request: nothing else may choose where a fresh full session goes.
  const [searchParams] = useSearchParams();
  const signInToFinish = safeInteractionPath(searchParams.get('next'));
  const minLength = me.passwordMinLength;
  // The temporary password typed at login, when this tab still has it; after a reload the restricted session itself
  // is the proof, and the server accepts the change without it (docs/product/console.md#first-login-and-forced-password-change).
  const [rememberedPassword] = useState(recallTemporaryPassword);
  const [newPassword, setNewPassword] = useState('');
  const [confirmPassword, setConfirmPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const newRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);

  const mutation = useMutation({
    mutationFn: changePassword,
    onSuccess: async () => {
      forgetTemporaryPassword();
      // Full access now, on the page that was asked for (this page stood in for it) or back at the application's
      // sign-in: a fresh /me brings the user's real permissions to the menus.
      await navigate(signInToFinish ?? `${location.pathname}${location.search}${location.hash}`, { replace: true });
      await queryClient.fetchQuery({ ...meQueryOptions, staleTime: 0 });
      notifications.show({ color: 'green', title: 'Password changed', message: 'Your new password is set.' });
    },
    onError: (error) => {
      if (isApiError(error, { code: 'password_policy' })) {
        setErrors({ newPassword: error.detail });
        newRef.current?.focus();
      } else {
        setFormError(isApiError(error) ? error.detail : 'Something went wrong. Please try again.');
      }
    },
  });

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const found: FieldErrors = {};
    if (newPassword === '') found.newPassword = 'Enter a new password.';
    else if ([...newPassword].length < minLength) found.newPassword = `Use at least ${minLength} characters.`;
    else if (newPassword === rememberedPassword) found.newPassword = 'Choose a password that differs from the temporary one.';
    if (confirmPassword === '') found.confirmPassword = 'Enter the new password again.';
    else if (newPassword !== '' && confirmPassword !== newPassword) found.confirmPassword = 'The passwords do not match.';
    setErrors(found);
    setFormError(null);
    const firstInvalid = found.newPassword ? newRef : found.confirmPassword ? confirmRef : null;
    if (firstInvalid) {
      firstInvalid.current?.focus();
      return;
    }
    mutation.mutate(rememberedPassword === null ? { newPassword } : { currentPassword: rememberedPassword, newPassword });
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
              <PasswordInput
                ref={newRef}
                label="New password"
                description={`At least ${minLength} characters. Use a long passphrase, for example four or more random words. Common passwords, your name and your email are refused.`}
                name="new-password"
                autoComplete="new-password"
                required
                withAsterisk={false}
                autoFocus
                value={newPassword}
                onChange={(event) => {
                  setNewPassword(event.currentTarget.value);
                  setErrors(({ newPassword: _stale, ...rest }) => rest);
                }}
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
                onChange={(event) => {
                  setConfirmPassword(event.currentTarget.value);
                  setErrors(({ confirmPassword: _stale, ...rest }) => rest);
                }}
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

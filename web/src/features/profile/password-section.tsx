import { Alert, Button, Group, PasswordInput, Stack } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { changePassword } from '../../api/auth';
import { isApiError } from '../../api/client';
import { errorDetail } from '../../api/problem-fields';
import { IconAlert } from '../../components/icons';
import { SettingsSection } from '../../components/settings-section';
import { SuccessMessage } from '../../components/status-message';
import { meQueryKey } from '../session/me-query';
import { useSession } from '../session/session-context';
import { type ChangeProofState, emptyProof, proofOf, showProofError } from '../two-factor/change-proof';
import { OwnChangeProofFields, useSecondFactorNeeds } from '../two-factor/own-change-proof';
import { usePasswordless } from './confirm-with-provider';
import { ownSessionsQueryKey } from './sessions-query';

interface Errors {
  next?: string;
  confirm?: string;
}

const showPassword = { 'aria-label': 'Show password' };

/**
 * Password (docs/product/console.md#profile-settings, docs/product/security-settings.md#passwords): current (and, with
 * 2FA on, a code or a security key) + new twice. The server rotates this session and ends all the others. A person
 * created by an identity provider has no password: they set a first one after confirming it's them at the provider
 * (docs/sso.md).
 */
export function PasswordSection() {
  const me = useSession();
  const { passwordless } = usePasswordless();
  const needs = useSecondFactorNeeds();
  const queryClient = useQueryClient();
  const [proof, setProof] = useState<ChangeProofState>(emptyProof);
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const mutation = useMutation({
    mutationFn: changePassword,
    onSuccess: () => {
      setProof(emptyProof);
      setNext('');
      setConfirm('');
      setSaved('Password changed. Your other sessions were signed out; this one continues.');
      void queryClient.invalidateQueries({ queryKey: meQueryKey });
      void queryClient.invalidateQueries({ queryKey: ownSessionsQueryKey });
    },
    onError: (error) => {
      if (showProofError(error, proof, setProof)) return;
      if (isApiError(error, { code: 'password_policy' })) setErrors({ next: errorDetail(error) });
      else setFormError(errorDetail(error));
    },
  });

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    setSaved(null);
    setFormError(null);
    const found: Errors = {};
    if (next === '') found.next = 'Enter a new password.';
    else if (!passwordless && next === proof.password) found.next = 'Choose a password that differs from the current one.';
    if (confirm === '') found.confirm = 'Enter the new password again.';
    else if (next !== '' && confirm !== next) found.confirm = 'The passwords do not match.';
    setErrors(found);
    const body = proofOf(proof, setProof, needs.secondFactorNeeded, passwordless);
    if (body && Object.keys(found).length === 0) mutation.mutate({ ...body, newPassword: next });
  }

  return (
    <SettingsSection
      id="password"
      title="Password"
      description={
        passwordless
          ? 'You log in with your identity provider and have no password here. Setting one lets you log in without the provider too; it signs out every other session of yours.'
          : 'Changing it signs out every other session of yours.'
      }
    >
      <form onSubmit={submit} noValidate aria-label={passwordless ? 'Set a password' : 'Change password'}>
        <Stack gap="sm" maw={480}>
          {formError !== null && (
            <Alert color="red" variant="light" icon={<IconAlert />} title="Could not change the password">
              {formError}
            </Alert>
          )}
          {/* Lets password managers file the new password under the right account. */}
          <input type="hidden" name="username" autoComplete="username" value={me.user.username} readOnly />
          <OwnChangeProofFields needs={needs} state={proof} onChange={setProof} />
          <PasswordInput
            label="New password"
            description={`At least ${me.passwordMinLength} characters. Use a long passphrase, for example four or more random words. Common passwords, your name and your email are refused.`}
            name="new-password"
            autoComplete="new-password"
            value={next}
            onChange={(event) => {
              setNext(event.currentTarget.value);
              setErrors(({ next: _stale, ...rest }) => rest);
            }}
            error={errors.next}
            visibilityToggleButtonProps={showPassword}
          />
          <PasswordInput
            label="Confirm new password"
            name="confirm-password"
            autoComplete="new-password"
            value={confirm}
            onChange={(event) => {
              setConfirm(event.currentTarget.value);
              setErrors(({ confirm: _stale, ...rest }) => rest);
            }}
            error={errors.confirm}
            visibilityToggleButtonProps={showPassword}
          />
          <Group>
            <Button type="submit" loading={mutation.isPending} disabled={!needs.ready}>
              {passwordless ? 'Set password' : 'Change password'}
            </Button>
          </Group>
          <SuccessMessage message={saved} />
        </Stack>
      </form>
    </SettingsSection>
  );
}

import { Alert, Button, Divider, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { startAuthentication } from '@simplewebauthn/browser';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { isApiError } from '../../api/client';
import { type SecondFactorRequiredResponse, secondFactorKeyOptions, submitSecondFactor } from '../../api/two-factor';
import { assertionOf, webAuthnBrowserMessage } from '../../api/webauthn';
import { IconAlert, IconKey } from '../../components/icons';
import { formatWait, loginErrorMessage } from './error-messages';

interface SecondFactorStepProps {
  methods: SecondFactorRequiredResponse['methods'];
  /** The login is complete: the session exists (the login form reads the caller again and moves on). */
  onComplete: (session: { mustChangePassword: boolean }) => Promise<void>;
  /** Back to the password step, with the reason (the pending login expired or took too many codes). */
  onRestart: (message: string | null) => void;
  /** The line under the heading: what the first step was (a password unless told). */
  description?: string;
  /** The button back to the first step. */
  backLabel?: string;
}

/**
 * The second step of a login with 2FA (docs/product/console.md#log-in): a code from the authenticator app or a
 * recovery code, or **Use a security key**. Then on to wherever the server sends the person (a forced password change
 * or 2FA setup first).
 */
export function SecondFactorStep({
  methods,
  onComplete,
  onRestart,
  description = 'Your password was right. Now confirm it is you.',
  backLabel = 'Back to the password',
}: SecondFactorStepProps) {
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const usesCode = methods.includes('totp') || methods.includes('recovery_code');
  const usesKey = methods.includes('webauthn') && typeof window.PublicKeyCredential === 'function';

  const mutation = useMutation({
    mutationFn: async (input: { code: string } | { key: true }) => {
      if ('code' in input) return submitSecondFactor({ code: input.code });
      const options = await secondFactorKeyOptions();
      return submitSecondFactor({ webauthn: assertionOf(await startAuthentication({ optionsJSON: options as never })) });
    },
    meta: { expectsUnauthorized: true },
    onSuccess: (result) => onComplete(result),
    onError: (error, input) => {
      if (isApiError(error, { code: 'unauthenticated' })) {
        onRestart('Your login expired or took too many attempts. Log in again with your password.');
        return;
      }
      if (isApiError(error, { status: 429 })) {
        setFormError(`Too many failed attempts. Try again in ${formatWait(error.retryAfterSeconds ?? 60)}.`);
        return;
      }
      const browser = webAuthnBrowserMessage(error);
      if (browser) {
        setFormError(browser);
        return;
      }
      if (isApiError(error, { code: 'invalid_second_factor' })) {
        setCode('');
        if ('code' in input) {
          setCodeError('That code is not right. Enter the current code from your app, or an unused recovery code.');
          codeRef.current?.focus();
        } else setFormError('That security key was not accepted. Try another key, or enter a code.');
        return;
      }
      setFormError(loginErrorMessage(error));
    },
  });

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const value = code.trim().replaceAll(' ', '');
    if (value === '') {
      setCodeError('Enter the code from your authenticator app, or a recovery code.');
      return;
    }
    setCodeError(undefined);
    setFormError(null);
    mutation.mutate({ code: value });
  }

  return (
    <Stack gap="lg">
      <Stack gap={4} ta="center">
        <Title order={1} fz={28}>
          Two-factor authentication
        </Title>
        <Text c="dimmed">{description}</Text>
      </Stack>
      <Paper withBorder shadow="xs" p={{ base: 'lg', sm: 'xl' }} radius="md" bg="white">
        <Stack gap="md">
          {formError !== null && (
            <Alert color="red" variant="light" icon={<IconAlert />} title="Could not log in">
              {formError}
            </Alert>
          )}
          {usesCode && (
            <form onSubmit={submit} noValidate aria-label="Authentication code">
              <Stack gap="md">
                <TextInput
                  ref={codeRef}
                  label="Authentication code"
                  description="The 6-digit code from your authenticator app, or one of your recovery codes."
                  name="one-time-code"
                  autoComplete="one-time-code"
                  autoCapitalize="none"
                  spellCheck={false}
                  autoFocus
                  value={code}
                  onChange={(event) => {
                    setCode(event.currentTarget.value);
                    setCodeError(undefined);
                  }}
                  error={codeError}
                />
                <Button
                  type="submit"
                  fullWidth
                  size="md"
                  loading={mutation.isPending && mutation.variables && 'code' in mutation.variables}
                >
                  Verify
                </Button>
              </Stack>
            </form>
          )}
          {usesCode && usesKey && <Divider label="or" labelPosition="center" />}
          {usesKey && (
            <Button
              variant={usesCode ? 'default' : 'filled'}
              fullWidth
              size="md"
              leftSection={<IconKey />}
              loading={mutation.isPending && mutation.variables && 'key' in mutation.variables}
              onClick={() => {
                setFormError(null);
                mutation.mutate({ key: true });
              }}
            >
              Use a security key
            </Button>
          )}
          <Button variant="subtle" size="sm" onClick={() => onRestart(null)}>
            {backLabel}
          </Button>
        </Stack>
      </Paper>
    </Stack>
  );
}

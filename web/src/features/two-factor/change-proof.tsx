import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { isApiError } from '../../api/client';
import { type Assertion, type ChangeProof, confirmWithSecurityKey, webAuthnBrowserMessage } from '../../api/webauthn';
import { IconCheck, IconKey } from '../../components/icons';
import { CurrentPasswordOrProvider, confirmFirst } from '../profile/confirm-with-provider';
import { wrongCurrentPassword } from '../profile/current-password-input';

export interface ChangeProofState {
  password: string;
  code: string;
  assertion: Assertion | null;
  passwordError?: string | undefined;
  codeError?: string | undefined;
}

export const emptyProof: ChangeProofState = { password: '', code: '', assertion: null };

/**
 * The proof every change to one's own 2FA asks for (docs/product/security-settings.md#two-factor-authentication): the
 * current password and, once 2FA is on, a code (authenticator app or recovery code) or a touch of a security key.
 * Returns the body fields, or null after marking what is missing. `passwordless`: a person without a password sends
 * none (a fresh provider login in this session stands in for it, see ConfirmWithProvider).
 */
export function proofOf(
  state: ChangeProofState,
  setState: (next: ChangeProofState) => void,
  secondFactorNeeded: boolean,
  passwordless = false,
): ChangeProof | null {
  const passwordError = !passwordless && state.password === '' ? 'Enter your current password.' : undefined;
  const codeError =
    secondFactorNeeded && state.assertion === null && state.code.trim() === '' ? 'Enter a code, or use a security key.' : undefined;
  if (passwordError || codeError) {
    setState({ ...state, passwordError, codeError });
    return null;
  }
  return {
    ...(passwordless ? {} : { currentPassword: state.password }),
    ...(secondFactorNeeded
      ? { secondFactor: state.assertion ? { webauthn: state.assertion } : { code: state.code.trim().replaceAll(' ', '') } }
      : {}),
  };
}

/** Puts the server's refusal next to the field it is about; false when it is about something else. */
export function showProofError(error: unknown, state: ChangeProofState, setState: (next: ChangeProofState) => void): boolean {
  if (isApiError(error, { code: 'invalid_current_password' })) {
    setState({ ...state, password: '', passwordError: wrongCurrentPassword });
    return true;
  }
  if (isApiError(error, { code: 'reauthentication_required' })) {
    setState({
      ...state,
      passwordError: confirmFirst,
    });
    return true;
  }
  if (isApiError(error, { code: 'invalid_second_factor' }) || isApiError(error, { code: 'mfa_required' })) {
    setState({ ...state, code: '', assertion: null, codeError: 'That code or security key was not accepted. Try again with a new code.' });
    return true;
  }
  return false;
}

interface ChangeProofFieldsProps {
  state: ChangeProofState;
  onChange: (next: ChangeProofState) => void;
  secondFactorNeeded: boolean;
  /** The person has a security key to confirm with. */
  canUseSecurityKey: boolean;
  autoFocus?: boolean;
}

/** Current password (or, without one, Confirm it's you with a provider), then (with 2FA on) a code field and **Use a security key**. */
export function ChangeProofFields({ state, onChange, secondFactorNeeded, canUseSecurityKey, autoFocus }: ChangeProofFieldsProps) {
  const [keyMessage, setKeyMessage] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);

  async function confirmWithKey(): Promise<void> {
    setKeyMessage(null);
    setAsking(true);
    try {
      const assertion = await confirmWithSecurityKey();
      onChange({ ...state, assertion, code: '', codeError: undefined });
    } catch (error) {
      setKeyMessage(webAuthnBrowserMessage(error) ?? 'The security key could not be used. Try again, or enter a code.');
    } finally {
      setAsking(false);
    }
  }

  return (
    <Stack gap="md">
      <CurrentPasswordOrProvider
        value={state.password}
        onChange={(password) => onChange({ ...state, password, passwordError: undefined })}
        error={state.passwordError}
        autoFocus={autoFocus}
      />
      {secondFactorNeeded &&
        (state.assertion ? (
          <Group gap={6} c="var(--mantine-color-green-light-color)">
            <IconCheck size={18} />
            <Text size="sm" fw={600} c="var(--mantine-color-green-light-color)">
              Confirmed with your security key.
            </Text>
          </Group>
        ) : (
          <Stack gap="xs">
            <TextInput
              label="Authentication code"
              description="The 6-digit code from your authenticator app, or one of your recovery codes."
              name="one-time-code"
              autoComplete="one-time-code"
              inputMode="text"
              autoCapitalize="none"
              spellCheck={false}
              value={state.code}
              onChange={(event) => onChange({ ...state, code: event.currentTarget.value, codeError: undefined })}
              error={state.codeError ?? keyMessage ?? undefined}
            />
            {canUseSecurityKey && (
              <Button
                variant="default"
                leftSection={<IconKey />}
                loading={asking}
                onClick={() => void confirmWithKey()}
                style={{ alignSelf: 'flex-start' }}
              >
                Use a security key
              </Button>
            )}
          </Stack>
        ))}
    </Stack>
  );
}

import { Alert, Badge, Button, Code, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../../api/client';
import { errorDetail } from '../../api/problem-fields';
import { confirmTotpSetup, type MfaStatusResponse, regenerateRecoveryCodes, removeTotp, startTotpSetup } from '../../api/two-factor';
import { Dialog } from '../../components/dialog';
import { IconAlert } from '../../components/icons';
import { SuccessMessage } from '../../components/status-message';
import { usePasswordless } from '../profile/confirm-with-provider';
import { ChangeProofFields, type ChangeProofState, emptyProof, proofOf, showProofError } from './change-proof';
import { RecoveryCodesPanel } from './recovery-codes-panel';
import { TotpQrCode } from './totp-qr-code';

export const mfaStatusQueryKey = ['me', 'mfa'] as const;

type Step =
  | { kind: 'proof'; action: 'setup' | 'remove' | 'regenerate' }
  | { kind: 'scan'; secret: string; otpauthUrl: string }
  | { kind: 'codes'; codes: string[] };

/**
 * The authenticator app and the recovery codes (docs/product/console.md#two-factor-authentication): set up with a QR
 * code and the key as text, confirmed by a first code; remove; regenerate the recovery codes.
 */
export function TotpSetup({ status, canUseSecurityKey }: { status: MfaStatusResponse; canUseSecurityKey: boolean }) {
  const queryClient = useQueryClient();
  const [step, setStep] = useState<Step | null>(null);
  const [proof, setProof] = useState<ChangeProofState>(emptyProof);
  const { passwordless } = usePasswordless();
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | undefined>();
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: mfaStatusQueryKey });
  const confirmed = status.totp?.confirmed === true;

  const proofMutation = useMutation({
    mutationFn: async (input: { action: 'setup' | 'remove' | 'regenerate'; body: NonNullable<ReturnType<typeof proofOf>> }) => {
      if (input.action === 'setup') return { kind: 'scan' as const, ...(await startTotpSetup(input.body)) };
      if (input.action === 'regenerate')
        return { kind: 'codes' as const, codes: (await regenerateRecoveryCodes(input.body)).recoveryCodes };
      await removeTotp(input.body);
      return null;
    },
    onSuccess: (next) => {
      void refresh();
      if (next === null) {
        setStep(null);
        setSaved('Authenticator app removed.');
      } else setStep(next);
    },
    onError: (error) => {
      if (!showProofError(error, proof, setProof)) setDialogError(errorDetail(error));
    },
  });

  const confirmMutation = useMutation({
    mutationFn: (value: string) => confirmTotpSetup(value),
    onSuccess: (result) => {
      void refresh();
      setSaved('Authenticator app set up. You will be asked for a code when you log in.');
      if (result.recoveryCodes.length > 0) setStep({ kind: 'codes', codes: result.recoveryCodes });
      else setStep(null);
    },
    onError: (error) => {
      if (isApiError(error, { code: 'invalid_second_factor' })) {
        setCodeError('That code is not right. Check that your phone’s clock is set automatically, and enter the current code.');
        setCode('');
      } else setDialogError(errorDetail(error));
    },
  });

  function open(action: 'setup' | 'remove' | 'regenerate'): void {
    setProof(emptyProof);
    setCode('');
    setCodeError(undefined);
    setDialogError(null);
    setSaved(null);
    setStep({ kind: 'proof', action });
  }

  function submitProof(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (step?.kind !== 'proof') return;
    const body = proofOf(proof, setProof, status.enabled, passwordless);
    if (!body) return;
    setDialogError(null);
    proofMutation.mutate({ action: step.action, body });
  }

  function submitCode(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const value = code.replaceAll(' ', '');
    if (!/^\d{6}$/.test(value)) {
      setCodeError('Enter the 6-digit code your app shows.');
      return;
    }
    setDialogError(null);
    confirmMutation.mutate(value);
  }

  const title =
    step === null
      ? ''
      : step.kind === 'codes'
        ? 'Your recovery codes'
        : step.kind === 'scan'
          ? 'Scan the QR code'
          : step.action === 'setup'
            ? 'Set up an authenticator app'
            : step.action === 'remove'
              ? 'Remove the authenticator app?'
              : 'Make new recovery codes?';

  return (
    <Stack gap="sm">
      <Group gap="xs">
        <Title order={3} fz="h4">
          Authenticator app
        </Title>
        <Badge variant="light" radius="sm" tt="none" color={confirmed ? 'green' : 'gray'}>
          {confirmed ? 'Set up' : 'Not set up'}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed">
        An app such as Google Authenticator, Microsoft Authenticator or 1Password shows a new 6-digit code every 30 seconds.
      </Text>
      <Group gap="sm">
        {confirmed ? (
          <Button variant="default" color="red" onClick={() => open('remove')}>
            Remove authenticator app
          </Button>
        ) : (
          <Button onClick={() => open('setup')}>Set up authenticator app</Button>
        )}
      </Group>
      {status.enabled && (
        <>
          <Title order={3} fz="h4" mt="sm">
            Recovery codes
          </Title>
          <Text size="sm" c="dimmed">
            {status.recoveryCodesRemaining} of 10 unused. Each gets you in once if you lose your app or key.
          </Text>
          <Group>
            <Button variant="default" onClick={() => open('regenerate')}>
              Make new recovery codes
            </Button>
          </Group>
        </>
      )}
      <SuccessMessage message={saved} />

      <Dialog
        opened={step !== null}
        onClose={() => setStep(null)}
        title={title}
        closeOnClickOutside={step?.kind === 'proof'}
        size={step?.kind === 'proof' ? 'md' : 'lg'}
      >
        {dialogError !== null && (
          <Alert color="red" variant="light" icon={<IconAlert />} title="That did not work" mb="md">
            {dialogError}
          </Alert>
        )}
        {step?.kind === 'proof' && (
          <form onSubmit={submitProof} noValidate aria-label={title}>
            <Stack gap="md">
              {step.action === 'regenerate' && (
                <Text size="sm">Your current recovery codes stop working; the new ones are shown once.</Text>
              )}
              {step.action === 'remove' && <Text size="sm">Codes from the app will no longer sign you in.</Text>}
              <ChangeProofFields
                state={proof}
                onChange={setProof}
                secondFactorNeeded={status.enabled}
                canUseSecurityKey={canUseSecurityKey}
                autoFocus
              />
              <Group justify="flex-end" gap="sm">
                <Button variant="default" onClick={() => setStep(null)}>
                  Cancel
                </Button>
                <Button type="submit" color={step.action === 'remove' ? 'red' : undefined} loading={proofMutation.isPending}>
                  {step.action === 'setup' ? 'Continue' : step.action === 'remove' ? 'Remove app' : 'Make new codes'}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
        {step?.kind === 'scan' && (
          <form onSubmit={submitCode} noValidate aria-label="Confirm the authenticator app">
            <Stack gap="md">
              <Text size="sm">Scan this code with your authenticator app, then enter the 6-digit code it shows.</Text>
              <Group justify="center">
                <TotpQrCode otpauthUrl={step.otpauthUrl} />
              </Group>
              <Stack gap={4}>
                <Text size="sm" fw={600}>
                  Can’t scan it? Enter this key in the app:
                </Text>
                <Code
                  block
                  aria-label="Setup key"
                  style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 'var(--mantine-font-size-md)' }}
                >
                  {step.secret.replace(/(.{4})/g, '$1 ').trim()}
                </Code>
              </Stack>
              <TextInput
                label="Code from the app"
                name="one-time-code"
                autoComplete="one-time-code"
                inputMode="numeric"
                data-autofocus
                value={code}
                onChange={(event) => {
                  setCode(event.currentTarget.value);
                  setCodeError(undefined);
                }}
                error={codeError}
              />
              <Group justify="flex-end" gap="sm">
                <Button variant="default" onClick={() => setStep(null)}>
                  Cancel
                </Button>
                <Button type="submit" loading={confirmMutation.isPending}>
                  Confirm
                </Button>
              </Group>
            </Stack>
          </form>
        )}
        {step?.kind === 'codes' && <RecoveryCodesPanel codes={step.codes} onDone={() => setStep(null)} />}
      </Dialog>
    </Stack>
  );
}

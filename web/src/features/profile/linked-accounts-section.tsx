import { Alert, Badge, Button, Group, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { type LinkedIdentity, listLinkedIdentities, startLinkingIdentity, unlinkIdentity } from '../../api/linked-identities';
import { errorDetail } from '../../api/problem-fields';
import type { SsoLoginMethod } from '../../api/webauthn';
import { DateTime } from '../../components/date-time';
import { Dialog } from '../../components/dialog';
import { ErrorState } from '../../components/error-state';
import { IconAlert, IconCheck } from '../../components/icons';
import { SettingsSection } from '../../components/settings-section';
import { SuccessMessage } from '../../components/status-message';
import { loginMethodsQueryOptions } from '../auth/login-methods-query';
import { ssoErrorMessage } from '../auth/sso-messages';
import { type ChangeProofState, emptyProof, proofOf, showProofError } from '../two-factor/change-proof';
import { OwnChangeProofFields, useSecondFactorNeeds } from '../two-factor/own-change-proof';
import { usePasswordless } from './confirm-with-provider';

const linkedIdentitiesQueryKey = ['me', 'identities'] as const;

/** What the provider said when it sent the person back here (`?sso_linked=<label>` or `?sso_error=<code>`), read once. */
type Notice = { linked: string } | { error: string } | null;

function useReturnNotice(): Notice {
  const [searchParams, setSearchParams] = useSearchParams();
  const [notice] = useState<Notice>(() => {
    const linked = searchParams.get('sso_linked');
    if (linked !== null) return { linked };
    const error = searchParams.get('sso_error');
    return error === null ? null : { error: ssoErrorMessage(error) };
  });
  // Said once: a reload does not say it again.
  useEffect(() => {
    if (notice === null) return;
    setSearchParams(
      (current) => {
        current.delete('sso_linked');
        current.delete('sso_error');
        return current;
      },
      { replace: true },
    );
  }, [notice, setSearchParams]);
  return notice;
}

/**
 * Profile settings → **Linked accounts** (SPEC §12.2): the caller's accounts at the company identity providers, Link
 * (the current password and a second factor, then the provider's login, which comes back here) and Unlink. Shown only
 * when the server offers a provider.
 */
export function LinkedAccountsSection() {
  const methods = useQuery(loginMethodsQueryOptions);
  const providers = methods.data?.identityProviders ?? [];
  if (providers.length === 0) return null;
  return <LinkedAccounts providers={providers} />;
}

function LinkedAccounts({ providers }: { providers: SsoLoginMethod[] }) {
  const identities = useQuery({ queryKey: linkedIdentitiesQueryKey, queryFn: ({ signal }) => listLinkedIdentities(signal) });
  const [linking, setLinking] = useState<SsoLoginMethod | null>(null);
  const [unlinking, setUnlinking] = useState<LinkedIdentity | null>(null);
  const [unlinked, setUnlinked] = useState<string | null>(null);
  const notice = useReturnNotice();
  // Back from the provider: the answer is in this section, so the page shows it.
  useEffect(() => {
    if (notice !== null) document.getElementById('linked-accounts')?.scrollIntoView({ block: 'start' });
  }, [notice]);

  const linkedIds = new Set((identities.data ?? []).map((identity) => identity.identityProviderId));
  const notLinked = providers.filter((provider) => !linkedIds.has(provider.id));

  return (
    <SettingsSection
      id="linked-accounts"
      title="Linked accounts"
      description="Your accounts at the company's identity providers. A linked account logs you in to Roster without your Roster password."
    >
      {notice !== null &&
        ('linked' in notice ? (
          <Alert color="green" variant="light" icon={<IconCheck />} title="Account linked" role="status">
            Your account at {notice.linked} is linked. You can log in to Roster with it.
          </Alert>
        ) : (
          <Alert color="red" variant="light" icon={<IconAlert />} title="The account was not linked">
            {notice.error}
          </Alert>
        ))}
      {identities.isPending ? (
        <Stack gap="xs" role="status" aria-label="Loading your linked accounts">
          <Skeleton height={56} />
        </Stack>
      ) : identities.isError ? (
        <ErrorState title="Could not load your linked accounts" error={identities.error} onRetry={() => void identities.refetch()} />
      ) : (
        <Stack gap="xs" component="ul" aria-label="Identity providers" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {identities.data.map((identity) => (
            <ProviderRow
              key={identity.id}
              label={identity.label}
              action="Unlink"
              onAction={() => {
                setUnlinked(null);
                setUnlinking(identity);
              }}
              data-linked-account={identity.label}
            >
              <Group gap="xs">
                <Text fw={600}>{identity.label}</Text>
                <Badge color="green" variant="light" radius="sm" tt="none">
                  Linked
                </Badge>
              </Group>
              {identity.email !== null && (
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {identity.email}
                </Text>
              )}
              <Text size="sm" c="dimmed">
                Linked <DateTime value={identity.createdAt} /> · Last login <DateTime value={identity.lastLoginAt} fallback="never" />
              </Text>
            </ProviderRow>
          ))}
          {notLinked.map((provider) => (
            <ProviderRow
              key={provider.id}
              label={provider.label}
              action="Link"
              onAction={() => {
                setUnlinked(null);
                setLinking(provider);
              }}
              data-not-linked={provider.label}
            >
              <Text fw={600}>{provider.label}</Text>
              <Text size="sm" c="dimmed">
                Not linked
              </Text>
            </ProviderRow>
          ))}
        </Stack>
      )}
      <SuccessMessage message={unlinked} />
      <LinkDialog provider={linking} onClose={() => setLinking(null)} />
      <UnlinkDialog
        identity={unlinking}
        onClose={() => setUnlinking(null)}
        onUnlinked={(label) => {
          setUnlinking(null);
          setUnlinked(`Your account at ${label} is unlinked: it can no longer log you in to Roster.`);
        }}
      />
    </SettingsSection>
  );
}

/** One provider in the list: what is known of the caller's account there, and Link or Unlink. */
function ProviderRow({
  label,
  action,
  onAction,
  children,
  ...data
}: {
  label: string;
  action: 'Link' | 'Unlink';
  onAction: () => void;
  children: ReactNode;
  'data-linked-account'?: string;
  'data-not-linked'?: string;
}) {
  return (
    <Paper component="li" withBorder p="sm" {...data}>
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
          {children}
        </Stack>
        <Button variant="default" size="xs" onClick={onAction} aria-label={`${action} ${label}`}>
          {action}
        </Button>
      </Group>
    </Paper>
  );
}

/**
 * Link: the proof every change to one's own sign-in asks for (current password, then a second factor when 2FA is on),
 * then the browser goes to the provider's login; the provider sends it back to this page.
 */
function LinkDialog({ provider, onClose }: { provider: SsoLoginMethod | null; onClose: () => void }) {
  const needs = useSecondFactorNeeds();
  const [proof, setProof] = useState<ChangeProofState>(emptyProof);
  const { passwordless } = usePasswordless();
  const [dialogError, setDialogError] = useState<string | null>(null);
  const link = useMutation({
    mutationFn: (input: { provider: SsoLoginMethod; proof: NonNullable<ReturnType<typeof proofOf>> }) =>
      startLinkingIdentity({ identityProviderId: input.provider.id, ...input.proof }),
    onSuccess: ({ redirectUrl }) => window.location.assign(redirectUrl),
    onError: (error) => {
      if (!showProofError(error, proof, setProof)) setDialogError(errorDetail(error));
    },
  });

  function close(): void {
    setProof(emptyProof);
    setDialogError(null);
    link.reset();
    onClose();
  }

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (provider === null) return;
    const body = proofOf(proof, setProof, needs.secondFactorNeeded, passwordless);
    if (!body) return;
    setDialogError(null);
    link.mutate({ provider, proof: body });
  }

  const label = provider?.label ?? '';
  return (
    <Dialog opened={provider !== null} onClose={close} title={`Link your account at ${label}`}>
      <form onSubmit={submit} noValidate aria-label={`Link your account at ${label}`}>
        <Stack gap="md">
          <Text size="sm">
            Confirm it is you. Then you log in at {label}, and the account you log in with there is linked to this Roster account: it can
            log you in from then on.
          </Text>
          {dialogError !== null && (
            <Alert color="red" variant="light" icon={<IconAlert />} title="That did not work">
              {dialogError}
            </Alert>
          )}
          <OwnChangeProofFields needs={needs} state={proof} onChange={setProof} autoFocus />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={link.isPending || link.isSuccess} disabled={!needs.ready}>
              Continue to {label}
            </Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}

function UnlinkDialog({
  identity,
  onClose,
  onUnlinked,
}: {
  identity: LinkedIdentity | null;
  onClose: () => void;
  onUnlinked: (label: string) => void;
}) {
  const queryClient = useQueryClient();
  const unlink = useMutation({
    mutationFn: (target: LinkedIdentity) => unlinkIdentity(target.id),
    onSuccess: async (_result, target) => {
      await queryClient.invalidateQueries({ queryKey: linkedIdentitiesQueryKey });
      onUnlinked(target.label);
    },
  });
  const label = identity?.label ?? '';
  return (
    <Dialog
      opened={identity !== null}
      onClose={() => {
        unlink.reset();
        onClose();
      }}
      title={`Unlink ${label}?`}
    >
      <Stack gap="md">
        <Text>
          Your account at <strong>{label}</strong> can no longer log you in to Roster. You can link it again later.
        </Text>
        {unlink.isError && (
          <Alert color="red" variant="light" icon={<IconAlert />} title="Could not unlink">
            {errorDetail(unlink.error)}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={unlink.isPending}>
            Cancel
          </Button>
          <Button color="red" onClick={() => identity && unlink.mutate(identity)} loading={unlink.isPending}>
            Unlink
          </Button>
        </Group>
      </Stack>
    </Dialog>
  );
}

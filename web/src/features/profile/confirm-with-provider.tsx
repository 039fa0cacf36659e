import { Alert, Button, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { listLinkedIdentities, startReauthentication } from '../../api/linked-identities';
import { errorDetail } from '../../api/problem-fields';
import { IconCheck } from '../../components/icons';
import { useSession } from '../session/session-context';
import { CurrentPasswordInput } from './current-password-input';

// A person created by SSO has no password (SPEC §12.2, docs/sso.md#confirming-its-you-without-a-password): where a
// dialog asks for the current password, they confirm with a fresh login at a provider they are linked to instead. The
// provider sends the browser back to the same page with `?reauthenticated=1`; for 5 minutes the change needs no password.

const timeOf = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

/** Whether the caller has no password, and until when this session's fresh provider login counts (null: not now). */
export function usePasswordless(): { passwordless: boolean; confirmedUntil: string | null } {
  const me = useSession();
  const until = me.reauthenticatedUntil;
  return { passwordless: !me.hasPassword, confirmedUntil: until !== null && Date.parse(until) > Date.now() ? until : null };
}

/** What a change answered 403 `reauthentication_required` says at the confirm buttons. */
export const confirmFirst = 'Confirm it’s you with your identity provider first (a confirmation counts for 5 minutes).';

/**
 * **Current password**, or for a person without one **Confirm it's you with <provider>**: the proof field of every
 * dialog that changes one's own sign-in.
 */
export function CurrentPasswordOrProvider({
  value,
  onChange,
  error,
  autoFocus,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  autoFocus?: boolean;
}) {
  const { passwordless } = usePasswordless();
  if (passwordless) return <ConfirmWithProvider error={error} />;
  return <CurrentPasswordInput value={value} onChange={onChange} error={error} autoFocus={autoFocus ?? false} />;
}

/** This page's address without the provider's answer, for the provider to send the browser back to. */
function currentPage(): string {
  const url = new URL(window.location.href);
  url.searchParams.delete('reauthenticated');
  url.searchParams.delete('sso_error');
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * In place of **Current password** for a person without one: **Confirm it's you with <provider>** (one button per
 * linked provider), or, after that, that changes need no password until a time.
 */
export function ConfirmWithProvider({ error }: { error?: string | undefined }) {
  const { confirmedUntil } = usePasswordless();
  const identities = useQuery({ queryKey: ['me', 'identities'], queryFn: ({ signal }) => listLinkedIdentities(signal) });
  const start = useMutation({
    mutationFn: (identityProviderId: string) => startReauthentication({ identityProviderId, returnTo: currentPage() }),
    onSuccess: ({ redirectUrl }) => window.location.assign(redirectUrl),
  });

  if (confirmedUntil !== null) {
    return (
      <Alert color="green" variant="light" icon={<IconCheck />} title="You confirmed it's you">
        You logged in again at your identity provider. Until {timeOf(confirmedUntil)}, changes here need no password.
      </Alert>
    );
  }
  return (
    <Stack gap="xs" role="group" aria-labelledby="confirm-with-provider-title">
      <Text id="confirm-with-provider-title" size="sm" fw={600}>
        Confirm it's you
      </Text>
      <Text size="sm" c="dimmed">
        You sign in with your identity provider and have no password here. Log in there again: you come back to this page, and for 5 minutes
        this change needs no password.
      </Text>
      {identities.isPending ? (
        <Skeleton height={36} />
      ) : (
        <Group gap="sm">
          {(identities.data ?? []).map((identity) => (
            <Button
              key={identity.id}
              variant="default"
              loading={start.isPending && start.variables === identity.identityProviderId}
              disabled={start.isSuccess}
              onClick={() => start.mutate(identity.identityProviderId)}
            >
              Confirm it's you with {identity.label}
            </Button>
          ))}
        </Group>
      )}
      {(error ?? (start.isError ? errorDetail(start.error) : undefined)) && (
        <Text size="sm" c="var(--mantine-color-error)" role="alert">
          {error ?? errorDetail(start.error)}
        </Text>
      )}
    </Stack>
  );
}

/** Said once on the page the provider sent the person back to (`?reauthenticated=1`): what they may do now, and until when. */
export function ReauthenticatedNotice() {
  const [searchParams, setSearchParams] = useSearchParams();
  const [returned] = useState(() => searchParams.get('reauthenticated') === '1');
  const { confirmedUntil } = usePasswordless();
  useEffect(() => {
    if (!returned) return;
    setSearchParams(
      (current) => {
        current.delete('reauthenticated');
        return current;
      },
      { replace: true },
    );
  }, [returned, setSearchParams]);
  if (!returned || confirmedUntil === null) return null;
  return (
    <Alert color="green" variant="light" icon={<IconCheck />} title="You confirmed it's you">
      For the next 5 minutes (until {timeOf(confirmedUntil)}), changes on this page that ask for a password work without one: open the
      change again and continue.
    </Alert>
  );
}

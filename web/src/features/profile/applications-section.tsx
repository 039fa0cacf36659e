import { Alert, Badge, Button, Group, List, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { type Consent, revokeConsent } from '../../api/applications';
import { errorDetail } from '../../api/problem-fields';
import { DateTime } from '../../components/date-time';
import { Dialog } from '../../components/dialog';
import { ErrorState } from '../../components/error-state';
import { IconAlert } from '../../components/icons';
import { SettingsSection } from '../../components/settings-section';
import { SuccessMessage } from '../../components/status-message';
import { consentsQueryKey, consentsQueryOptions } from '../applications/applications-queries';
import { describeScope } from '../oidc/scope-descriptions';

/**
 * Applications (docs/product/console.md#profile-settings): the applications the caller allowed to sign them in, with
 * what each may know or do; Revoke withdraws the consent and signs them out of it.
 */
export function ApplicationsSection() {
  const consents = useQuery(consentsQueryOptions);
  const [revoking, setRevoking] = useState<Consent | null>(null);
  const [revoked, setRevoked] = useState<string | null>(null);

  return (
    <SettingsSection
      id="applications"
      title="Applications"
      description="Applications you allowed to sign you in with your Roster account, and what each may know or do. Applications of the platform itself never ask, so they are not listed."
    >
      {consents.isPending ? (
        <Stack gap="xs" role="status" aria-label="Loading your applications">
          <Skeleton height={64} />
        </Stack>
      ) : consents.isError ? (
        <ErrorState title="Could not load your applications" error={consents.error} onRetry={() => void consents.refetch()} />
      ) : consents.data.length === 0 ? (
        <Text c="dimmed" fz="sm">
          You have not allowed any application yet. When one asks to sign you in, it shows what it wants, and it appears here.
        </Text>
      ) : (
        <Stack gap="xs" component="ul" aria-label="Applications you allowed" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {consents.data.map((consent) => (
            <ConsentRow
              key={consent.application.id}
              consent={consent}
              onRevoke={() => {
                setRevoked(null);
                setRevoking(consent);
              }}
            />
          ))}
        </Stack>
      )}
      <SuccessMessage message={revoked} />
      <RevokeDialog
        consent={revoking}
        onClose={() => setRevoking(null)}
        onRevoked={(name) => {
          setRevoking(null);
          setRevoked(`${name} can no longer sign you in without asking again, and you were signed out of it.`);
        }}
      />
    </SettingsSection>
  );
}

function ConsentRow({ consent, onRevoke }: { consent: Consent; onRevoke: () => void }) {
  const { application } = consent;
  return (
    <Paper component="li" withBorder p="sm" data-consent={application.name}>
      <Group justify="space-between" wrap="wrap" gap="sm" align="flex-start">
        <Stack gap={4} style={{ minWidth: 0, flex: 1 }}>
          <Text fw={600}>{application.name}</Text>
          <Text size="sm" c="dimmed">
            Allowed <DateTime value={consent.createdAt} />
            {consent.updatedAt !== consent.createdAt && (
              <>
                {' '}
                · changed <DateTime value={consent.updatedAt} />
              </>
            )}
          </Text>
          <List size="sm" spacing={2} aria-label={`What ${application.name} may know or do`}>
            {consent.scopes.map((scope) => (
              <List.Item key={scope}>
                {describeScope(scope)}{' '}
                <Badge variant="outline" color="gray" radius="sm" tt="none" size="sm" ml={4}>
                  {scope}
                </Badge>
              </List.Item>
            ))}
          </List>
        </Stack>
        <Button variant="default" size="xs" onClick={onRevoke} aria-label={`Revoke ${application.name}`}>
          Revoke
        </Button>
      </Group>
    </Paper>
  );
}

function RevokeDialog({
  consent,
  onClose,
  onRevoked,
}: {
  consent: Consent | null;
  onClose: () => void;
  onRevoked: (name: string) => void;
}) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: (target: Consent) => revokeConsent(target.application.id),
    onSuccess: async (_result, target) => {
      await queryClient.invalidateQueries({ queryKey: consentsQueryKey });
      onRevoked(target.application.name);
    },
  });
  const name = consent?.application.name ?? '';
  return (
    <Dialog
      opened={consent !== null}
      onClose={() => {
        revoke.reset();
        onClose();
      }}
      title={`Revoke ${name}?`}
    >
      <Stack gap="md">
        <Text>
          You are signed out of <strong>{name}</strong>, and it can no longer use what you allowed. If you sign in to it again, it asks you
          again.
        </Text>
        {revoke.isError && (
          <Alert color="red" variant="light" icon={<IconAlert />} title="Could not revoke">
            {errorDetail(revoke.error)}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={revoke.isPending}>
            Cancel
          </Button>
          <Button color="red" onClick={() => consent && revoke.mutate(consent)} loading={revoke.isPending}>
            Revoke
          </Button>
        </Group>
      </Stack>
    </Dialog>
  );
}

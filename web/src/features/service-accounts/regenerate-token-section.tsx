import { Alert, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorDetail } from '../../api/problem-fields';
import { defaultTokenExpiryDays, type ExpiresInDays, regenerateServiceAccountToken } from '../../api/service-accounts';
import { IconAlert } from '../../components/icons';
import { ExpiresInDaysField } from './service-account-fields';
import { ServiceAccountToken } from './service-account-token';

/**
 * Regenerate Token (docs/product/console.md#service-accounts): a first button asks, with the new token's lifetime; a
 * second one replaces the token, which then shows once.
 */
export function RegenerateTokenSection({ id, name, neverAllowed }: { id: string; name: string; neverAllowed: boolean }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [lifetime, setLifetime] = useState<ExpiresInDays>(defaultTokenExpiryDays);
  const regenerate = useMutation({
    mutationFn: () => regenerateServiceAccountToken(id, lifetime),
    // The list and the details show the new expiry.
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['people'] }),
  });

  if (regenerate.data) {
    return (
      <Paper withBorder p="sm" bg="gray.0">
        <Stack gap={6}>
          <Text fw={700} role="status">
            New token
          </Text>
          <Text fz="sm" c="dimmed">
            The previous token of {name} stopped working.
          </Text>
          <ServiceAccountToken name={name} token={regenerate.data.token} expiresAt={regenerate.data.expiresAt} />
        </Stack>
      </Paper>
    );
  }

  if (!confirming) {
    return (
      <Button variant="default" onClick={() => setConfirming(true)} style={{ alignSelf: 'flex-start' }}>
        Regenerate Token
      </Button>
    );
  }

  return (
    <Paper withBorder p="sm" bg="#fff9f9" role="group" aria-labelledby="regenerate-token-question">
      <Stack gap="sm">
        <Text fw={600} id="regenerate-token-question">
          Regenerate the token of {name}?
        </Text>
        <Text fz="sm" c="dimmed" mt={-6}>
          The current token stops working at once: every script and pipeline using it needs the new one.
        </Text>
        <ExpiresInDaysField label="New token expiry" value={lifetime} onChange={setLifetime} neverAllowed={neverAllowed} />
        {regenerate.isError && (
          <Alert color="red" variant="light" icon={<IconAlert />} title="Could not regenerate the token">
            {errorDetail(regenerate.error)}
          </Alert>
        )}
        <Group gap="sm" justify="flex-end">
          <Button variant="default" size="sm" onClick={() => setConfirming(false)} disabled={regenerate.isPending}>
            Keep the current token
          </Button>
          <Button color="red" size="sm" onClick={() => regenerate.mutate()} loading={regenerate.isPending}>
            Regenerate Token
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

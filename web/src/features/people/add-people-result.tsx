import { Alert, Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { AccountResult } from '../../api/people';
import { IconAlert, IconDownload } from '../../components/icons';
import { useKeepAllSecrets, useRequestClose } from '../../components/one-time-secret';
import { SecretValue } from '../../components/secret-value';
import { type AccountRow, downloadResultCsv } from './account-rows';

const statusDisplay: Record<AccountResult['status'], { label: string; color: string }> = {
  created: { label: 'Created', color: 'green' },
  exists: { label: 'Already exists', color: 'gray' },
  failed: { label: 'Failed', color: 'red' },
};

function count(results: readonly AccountResult[], status: AccountResult['status']): number {
  return results.filter((result) => result.status === status).length;
}

/** One line per row: created with its temporary password, already exists, or the error (docs/product/console.md#people). */
export function AddPeopleResult({ rows, results, onDone }: { rows: AccountRow[]; results: AccountResult[]; onDone: () => void }) {
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const keepAll = useKeepAllSecrets();
  // The form that had focus is gone: focus moves to the result's summary, not to <body> (issue 17 item 9).
  const summaryRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => summaryRef.current?.focus(), []);
  // Done asks first while a password was neither copied nor downloaded, like Escape and ×.
  const done = useRequestClose(onDone);
  const created = count(results, 'created');
  const summary = [
    `${created} ${created === 1 ? 'account' : 'accounts'} created`,
    count(results, 'exists') > 0 ? `${count(results, 'exists')} already existed` : null,
    count(results, 'failed') > 0 ? `${count(results, 'failed')} failed` : null,
  ]
    .filter(Boolean)
    .join(', ');

  return (
    <Stack gap="md">
      <Text fw={600} role="status" ref={summaryRef} tabIndex={-1} style={{ outline: 'none' }}>
        {summary}.
      </Text>
      {created > 0 && (
        <Alert color="orange" variant="light" icon={<IconAlert />} title="Passwords are shown only once">
          Share each temporary password securely with its owner: they choose their own password when they first log in. After you close this
          dialog the passwords cannot be shown again; Download keeps a copy as CSV.
        </Alert>
      )}
      <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Results">
        {results.map((result, index) => {
          const status = statusDisplay[result.status];
          const username = result.user?.username ?? rows[index]?.username ?? '';
          return (
            <Paper component="li" withBorder p="sm" key={result.email} data-email={result.email}>
              <Group justify="space-between" gap="xs" wrap="nowrap" mb={result.status === 'exists' ? 0 : 6}>
                <Group gap={8} style={{ minWidth: 0 }}>
                  <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                    {result.email}
                  </Text>
                  {username !== '' && (
                    <Text c="dimmed" fz="sm">
                      {username}
                    </Text>
                  )}
                </Group>
                <Badge color={status.color} variant="light" tt="none" radius="sm" style={{ flex: 'none' }}>
                  {status.label}
                </Badge>
              </Group>
              {result.temporaryPassword !== undefined && (
                <Group gap="sm" wrap="nowrap" align="center">
                  <Text fz="sm" c="dimmed" style={{ flex: 'none' }}>
                    Temporary password:
                  </Text>
                  <div style={{ flex: 1, minWidth: 0 }}>
                    <SecretValue label={`temporary password for ${username || result.email}`} value={result.temporaryPassword} />
                  </div>
                </Group>
              )}
              {result.status === 'failed' && (
                <Text fz="sm" c="var(--mantine-color-error)">
                  {result.error?.message ?? 'The account could not be created.'}
                </Text>
              )}
            </Paper>
          );
        })}
      </Stack>
      {downloadError !== null && (
        <Alert color="red" variant="light" icon={<IconAlert />}>
          {downloadError}
        </Alert>
      )}
      <Group justify="flex-end" gap="sm">
        <Button
          variant="default"
          leftSection={<IconDownload size={16} />}
          onClick={() => {
            try {
              downloadResultCsv(results);
              keepAll();
            } catch (error) {
              setDownloadError(`The CSV could not be made: ${error instanceof Error ? error.message : String(error)}`);
            }
          }}
        >
          Download
        </Button>
        <Button onClick={done} data-autofocus>
          Done
        </Button>
      </Group>
    </Stack>
  );
}

import { Alert, Button, Group, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type AuditFilters, auditExportUrl, verifyAuditChain } from '../../api/audit';
import { errorDetail } from '../../api/problem-fields';
import { formatDateTime } from '../../components/date-time';
import { IconAlert, IconCheck } from '../../components/icons';

/** Export (JSON Lines, CSV) of the filtered events, and Verify of the whole hash chain (SPEC §4.7, §7). */
export function AuditTools({ filters }: { filters: AuditFilters }) {
  const verify = useMutation({ mutationFn: verifyAuditChain });
  const result = verify.data;

  return (
    <Stack gap="sm">
      <Group gap="sm">
        <Button component="a" href={auditExportUrl(filters, 'jsonl')} download variant="default">
          Export JSON Lines
        </Button>
        <Button component="a" href={auditExportUrl(filters, 'csv')} download variant="default">
          Export CSV
        </Button>
        <Button onClick={() => verify.mutate()} loading={verify.isPending} leftSection={<IconCheck size={16} />}>
          Verify
        </Button>
      </Group>
      <div role="status" aria-live="polite">
        {verify.isError && (
          <Alert color="red" variant="light" icon={<IconAlert />} title="Could not verify the chain">
            {errorDetail(verify.error)}
          </Alert>
        )}
        {result?.valid === true && (
          <Alert color="green" variant="light" icon={<IconCheck />} title="Audit chain intact">
            All {result.checked} events were checked: every hash matches the event before it, so none was changed or removed.
          </Alert>
        )}
        {result?.valid === false && (
          <Alert color="red" variant="light" icon={<IconAlert />} title="Audit chain broken">
            {result.brokenAt
              ? `The first broken event is #${result.brokenAt.seq} (${result.brokenAt.id}) of ${formatDateTime(result.brokenAt.at, true)}: ${result.brokenAt.reason}. ${result.checked} events were checked before it.`
              : `The chain does not verify (${result.checked} events checked).`}
          </Alert>
        )}
      </div>
    </Stack>
  );
}

import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { explainChainBreak } from '../../../../src/shared/audit-chain';
import { type AuditFilters, auditExportUrl, verifyAuditChain } from '../../api/audit';
import { errorDetail } from '../../api/problem-fields';
import { IconAlert, IconCheck, IconLock } from '../../components/icons';

/**
 * Export (JSON Lines, CSV) of the filtered events, and Verify of the whole hash chain
 * (docs/product/console.md#audit-log, docs/product/audit-log.md#verification).
 */
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
        {/* Neutral until something was verified: a check mark here would look like a result (issue 17 item 10). */}
        <Button variant="default" onClick={() => verify.mutate()} loading={verify.isPending} leftSection={<IconLock size={16} />}>
          Verify
        </Button>
      </Group>
      <Text fz="sm" c="dimmed">
        Both exports contain the events that match the filters above, all of them, not only the ones loaded on this page. Verify always
        checks the whole log.
      </Text>
      <div role="status" aria-live="polite">
        {verify.isError && (
          <Alert color="red" variant="light" icon={<IconAlert />} title="Could not verify the chain">
            {errorDetail(verify.error)}
          </Alert>
        )}
        {result?.valid === true && (
          <Alert color="green" variant="light" icon={<IconCheck />} title="Audit chain intact">
            All {result.checked} events were checked: every hash matches the event before it and the numbers follow without a gap, so none
            was changed, removed or reordered.
            {result.head && (
              <>
                {' '}
                Head: <code>{`${result.head.seq}:${result.head.hash}`}</code> — keep it, and <code>roster audit verify --expect-head</code>{' '}
                with it later proves that nothing up to it was cut.
              </>
            )}
          </Alert>
        )}
        {result?.valid === false && (
          <Alert color="red" variant="light" icon={<IconAlert />} title="Audit chain broken">
            {explainChainBreak(result)} {result.checked} events were checked.
          </Alert>
        )}
      </div>
    </Stack>
  );
}

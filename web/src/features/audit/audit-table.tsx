import { ActionIcon, Badge, Code, Table, Text, VisuallyHidden } from '@mantine/core';
import { Fragment, useState } from 'react';
import type { AuditEventView, AuditOutcome } from '../../api/audit';
import { DateTime } from '../../components/date-time';
import { IconChevronDown } from '../../components/icons';
import classes from './audit-table.module.css';

export const outcomeColor: Record<AuditOutcome, string> = { success: 'green', failure: 'orange', denied: 'red' };

export function describeActor(event: AuditEventView): string {
  return event.actor.name ?? event.actor.id ?? event.actor.type;
}

export function describeTarget(event: AuditEventView): string {
  if (event.target === null) return '—';
  return `${event.target.type} ${event.target.name ?? event.target.id ?? ''}`.trim();
}

/** Audit events, newest first; each row opens to show where it came from and its details as JSON. */
export function AuditTable({ events }: { events: AuditEventView[] }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <Table.ScrollContainer minWidth={820}>
      <Table verticalSpacing="xs" className={classes.table}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w={44}>
              <VisuallyHidden>Details</VisuallyHidden>
            </Table.Th>
            <Table.Th scope="col">Time</Table.Th>
            <Table.Th scope="col">Actor</Table.Th>
            <Table.Th scope="col">Action</Table.Th>
            <Table.Th scope="col">Target</Table.Th>
            <Table.Th scope="col">Outcome</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((event) => {
            const expanded = open.has(event.id);
            const detailsId = `audit-event-${event.id}`;
            return (
              <Fragment key={event.id}>
                <Table.Tr data-expanded={expanded || undefined}>
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      color="gray.8"
                      onClick={() => toggle(event.id)}
                      aria-expanded={expanded}
                      aria-controls={expanded ? detailsId : undefined}
                      aria-label={`${expanded ? 'Hide' : 'Show'} details of event ${event.seq} (${event.action})`}
                    >
                      <IconChevronDown size={18} className={expanded ? classes.chevronOpen : classes.chevron} />
                    </ActionIcon>
                  </Table.Td>
                  <Table.Td>
                    <DateTime value={event.at} mode="precise" />
                  </Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>
                    {describeActor(event)}
                    <Text span size="xs" c="dimmed">
                      {' '}
                      via {event.via}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Code>{event.action}</Code>
                  </Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{describeTarget(event)}</Table.Td>
                  <Table.Td>
                    <Badge color={outcomeColor[event.outcome]} variant="light" radius="sm" tt="none">
                      {event.outcome}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
                {expanded && (
                  <Table.Tr id={detailsId}>
                    <Table.Td />
                    <Table.Td colSpan={5}>
                      <EventDetails event={event} />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function EventDetails({ event }: { event: AuditEventView }) {
  const facts: [string, string][] = [
    ['Event', `#${event.seq} · ${event.id}`],
    ['Actor', `${event.actor.type} ${event.actor.name ?? ''} ${event.actor.id ? `(${event.actor.id})` : ''}`.trim()],
    [
      'Target',
      event.target ? `${event.target.type} ${event.target.name ?? ''} ${event.target.id ? `(${event.target.id})` : ''}`.trim() : '—',
    ],
    ['IP address', event.ip ?? '—'],
    ['User agent', event.userAgent ?? '—'],
    ['Request id', event.requestId ?? '—'],
    ['Hash', event.hash],
  ];
  return (
    <div className={classes.details}>
      <dl className={classes.facts}>
        {facts.map(([label, value]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </Fragment>
        ))}
      </dl>
      <Text size="sm" fw={600} mt="sm" mb={4}>
        Details
      </Text>
      <Code block className={classes.json}>
        {JSON.stringify(event.details, null, 2)}
      </Code>
    </div>
  );
}

import { Badge, Code, Group, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import type { AuditEventView } from '../../api/audit';
import { DateTime } from '../../components/date-time';
import { IconChevronDown } from '../../components/icons';
import { describeActor, describeTarget, EventDetails, outcomeColor } from './audit-table';
import classes from './audit-table.module.css';

/** The audit events on a phone: one card per event, action first, that opens to show the details. */
export function AuditEventList({ events }: { events: AuditEventView[] }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Stack component="ul" gap="xs" aria-label="Audit events" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {events.map((event) => {
        const expanded = open === event.id;
        const detailsId = `audit-card-${event.id}`;
        return (
          <Paper component="li" key={event.id} withBorder p="sm">
            <UnstyledButton
              onClick={() => setOpen(expanded ? null : event.id)}
              aria-expanded={expanded}
              aria-controls={expanded ? detailsId : undefined}
              aria-label={`${expanded ? 'Hide' : 'Show'} details of event ${event.seq} (${event.action})`}
              w="100%"
            >
              <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
                <Stack gap={4} style={{ minWidth: 0 }}>
                  <Group gap="xs">
                    <Code>{event.action}</Code>
                    <Badge color={outcomeColor[event.outcome]} variant="light" radius="sm" tt="none">
                      {event.outcome}
                    </Badge>
                  </Group>
                  <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                    {describeActor(event)} → {describeTarget(event)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    <DateTime value={event.at} mode="precise" /> · via {event.via}
                  </Text>
                </Stack>
                <IconChevronDown size={18} className={expanded ? classes.chevronOpen : classes.chevron} />
              </Group>
            </UnstyledButton>
            {expanded && (
              <div id={detailsId}>
                <EventDetails event={event} />
              </div>
            )}
          </Paper>
        );
      })}
    </Stack>
  );
}

import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { OwnedProject } from '../../api/people';
import { TransferConfirmation } from '../projects/transfer-confirmation';
import { PersonPicker, type PickedPerson } from './person-picker';

interface TransferProjectRowProps {
  project: OwnedProject;
  /** The current owner, who cannot be picked. */
  ownerId: string;
  ownerUsername: string;
  onTransferred: (project: OwnedProject, to: PickedPerson) => void;
}

/** One project to hand over before its owner can be removed (R4): a new-owner picker and **Transfer**. */
export function TransferProjectRow({ project, ownerId, ownerUsername, onTransferred }: TransferProjectRowProps) {
  const [newOwner, setNewOwner] = useState<PickedPerson | null>(null);
  const [confirming, setConfirming] = useState(false);

  return (
    <Paper withBorder p="sm" component="li" data-project={project.name}>
      <Stack gap="xs">
        <Text fw={700}>{project.name}</Text>
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <div style={{ flex: 1, minWidth: 0 }}>
            <PersonPicker
              label={`New owner of ${project.name}`}
              value={newOwner}
              onChange={(picked) => {
                setNewOwner(picked);
                setConfirming(false);
              }}
              excludeIds={[ownerId]}
            />
          </div>
          <Button onClick={() => setConfirming(true)} disabled={newOwner === null || confirming}>
            Transfer
          </Button>
        </Group>
        {confirming && newOwner && (
          <TransferConfirmation
            project={project}
            ownerUsername={ownerUsername}
            to={newOwner}
            onCancel={() => setConfirming(false)}
            onTransferred={() => onTransferred(project, newOwner)}
          />
        )}
      </Stack>
    </Paper>
  );
}

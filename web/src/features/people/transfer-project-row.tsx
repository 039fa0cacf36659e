import { Alert, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { isApiError } from '../../api/client';
import type { OwnedProject } from '../../api/people';
import { transferProject } from '../../api/projects';
import { IconAlert } from '../../components/icons';
import { PersonPicker, type PickedPerson } from './person-picker';

interface TransferProjectRowProps {
  project: OwnedProject;
  /** The current owner, who cannot be picked. */
  ownerId: string;
  onTransferred: (project: OwnedProject, to: PickedPerson) => void;
}

/** One project to hand over before its owner can be removed (R4): a new-owner picker and **Transfer**. */
export function TransferProjectRow({ project, ownerId, onTransferred }: TransferProjectRowProps) {
  const queryClient = useQueryClient();
  const [newOwner, setNewOwner] = useState<PickedPerson | null>(null);
  const transfer = useMutation({
    mutationFn: (to: PickedPerson) => transferProject(project.id, to.id),
    onSuccess: (_project, to) => {
      void queryClient.invalidateQueries({ queryKey: ['projects'] });
      onTransferred(project, to);
    },
  });

  return (
    <Paper withBorder p="sm" component="li" data-project={project.name}>
      <Stack gap="xs">
        <Text fw={700}>{project.name}</Text>
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <div style={{ flex: 1, minWidth: 0 }}>
            <PersonPicker label={`New owner of ${project.name}`} value={newOwner} onChange={setNewOwner} excludeIds={[ownerId]} />
          </div>
          <Button onClick={() => newOwner && transfer.mutate(newOwner)} disabled={newOwner === null} loading={transfer.isPending}>
            Transfer
          </Button>
        </Group>
        {transfer.isError && (
          <Alert color="red" variant="light" icon={<IconAlert />} p="xs">
            {isApiError(transfer.error) ? transfer.error.detail : 'The project could not be transferred.'}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

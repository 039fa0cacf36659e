import { Alert, List, Stack } from '@mantine/core';
import { useState } from 'react';
import { isApiError } from '../../api/client';
import { type OwnedProject, ownedProjectsOf } from '../../api/people';
import { IconAlert } from '../../components/icons';
import type { PickedPerson } from './person-picker';
import { TransferProjectRow } from './transfer-project-row';

export interface ProjectsToTransfer {
  /** Projects still owned: blocking the removal until each has a new owner (R4). */
  remaining: OwnedProject[];
  /** One line per project moved in this dialog. */
  transferred: string[];
  /** A 409 `user_owns_projects` names the projects as they are now (one may have appeared since the details were read). */
  refreshFrom: (error: unknown) => void;
  moved: (project: OwnedProject, to: PickedPerson) => void;
}

/** The projects an account owns before it is removed (a person) or deleted (a service account), as they get new owners. */
export function useProjectsToTransfer(owned: OwnedProject[] | undefined): ProjectsToTransfer {
  const [blocking, setBlocking] = useState<OwnedProject[] | null>(null);
  const [transferred, setTransferred] = useState<string[]>([]);
  const remaining = blocking ?? owned ?? [];
  return {
    remaining,
    transferred,
    refreshFrom: (error) => {
      if (isApiError(error, { code: 'user_owns_projects' })) setBlocking(ownedProjectsOf(error.problem) ?? []);
    },
    moved: (project, to) => {
      setBlocking(remaining.filter((other) => other.id !== project.id));
      setTransferred((list) => [...list, `${project.name} now belongs to ${to.username}.`]);
    },
  };
}

/** What blocks the removal (R4) with a transfer picker per project, and what has moved already. */
export function ProjectsToTransferList({
  owner,
  action,
  projects,
}: {
  owner: { id: string; name: string };
  /** The removal's verb in "then you can … <name>". */
  action: 'remove' | 'delete';
  projects: ProjectsToTransfer;
}) {
  const { remaining, transferred } = projects;
  return (
    <>
      {remaining.length > 0 && (
        <>
          <Alert
            color="orange"
            variant="light"
            icon={<IconAlert />}
            title={`${owner.name} owns ${remaining.length === 1 ? 'a project' : `${remaining.length} projects`}`}
          >
            Projects need an owner. Transfer each one to someone else; then you can {action} {owner.name}.
          </Alert>
          <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Projects to transfer">
            {remaining.map((project) => (
              <TransferProjectRow
                key={project.id}
                project={project}
                ownerId={owner.id}
                ownerUsername={owner.name}
                onTransferred={projects.moved}
              />
            ))}
          </Stack>
        </>
      )}
      {transferred.length > 0 && (
        <List size="sm" role="status">
          {transferred.map((line) => (
            <List.Item key={line}>{line}</List.Item>
          ))}
        </List>
      )}
    </>
  );
}

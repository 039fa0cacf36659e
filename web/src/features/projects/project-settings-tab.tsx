import { Alert, Button, Group, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../../api/client';
import { type Project, updateProject } from '../../api/projects';
import { EntityLink } from '../../components/entity-link';
import { IconAlert, IconCheck } from '../../components/icons';
import { ReadOnlyFields } from '../../components/read-only-fields';
import { PersonPicker, type PickedPerson } from '../people/person-picker';
import { useSession } from '../session/session-context';
import { DeleteProjectSection } from './delete-project-section';
import { projectKeys } from './project-queries';
import { TransferConfirmation } from './transfer-confirmation';

function errorText(error: unknown): string {
  return isApiError(error) ? error.detail : 'Something went wrong. Please try again.';
}

/** The project's Settings tab (docs/product/console.md#projects): name and description, owner transfer, deletion — each as allowed. */
export function ProjectSettingsTab({ project }: { project: Project }) {
  return (
    <Stack gap="lg">
      <GeneralSettings project={project} />
      <OwnerSettings project={project} />
      {project.abilities.delete && <DeleteProjectSection project={project} />}
    </Stack>
  );
}

function GeneralSettings({ project }: { project: Project }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description);
  const save = useMutation({
    mutationFn: () => updateProject(project.id, { name: name.trim(), description: description.trim() }),
    onSuccess: (updated) => {
      queryClient.setQueryData(projectKeys.detail(project.id), updated);
      void queryClient.invalidateQueries({ queryKey: projectKeys.lists() });
    },
  });
  const changed = name.trim() !== project.name || description.trim() !== project.description;
  const readOnly = !project.abilities.edit;

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (changed && name.trim() !== '') save.mutate();
  }

  // Read-only looks read-only: text and a plain sentence, not inputs and a permission id (issue 17 item 8).
  if (readOnly) {
    return (
      <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="general-heading">
        <Stack gap="md">
          <Title order={2} fz="lg" id="general-heading">
            General
          </Title>
          <ReadOnlyFields
            fields={[
              { label: 'Name', value: project.name },
              { label: 'Description', value: project.description || 'No description' },
            ]}
          />
          <Text fz="sm" c="dimmed">
            Only the project's owner and Admins can change its name and description.
          </Text>
        </Stack>
      </Paper>
    );
  }

  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="general-heading">
      <form onSubmit={submit} noValidate aria-labelledby="general-heading">
        <Stack gap="md">
          <Title order={2} fz="lg" id="general-heading">
            General
          </Title>
          <TextInput
            label="Name"
            value={name}
            onChange={(event) => {
              setName(event.currentTarget.value);
              if (save.isError) save.reset();
            }}
            readOnly={readOnly}
            maxLength={100}
            error={
              name.trim() === '' ? 'A project needs a name.' : isApiError(save.error, { code: 'name_taken' }) ? save.error.detail : null
            }
          />
          <Textarea
            label="Description"
            autosize
            minRows={2}
            value={description}
            onChange={(event) => setDescription(event.currentTarget.value)}
            readOnly={readOnly}
            maxLength={2000}
          />
          {save.isSuccess && !changed && (
            <Text fz="sm" c="var(--mantine-color-green-light-color)" role="status">
              Settings saved.
            </Text>
          )}
          {save.isError && !isApiError(save.error, { code: 'name_taken' }) && (
            <Alert color="red" variant="light" icon={<IconAlert />} title="Could not save the settings">
              {errorText(save.error)}
            </Alert>
          )}
          {!readOnly && (
            <Group justify="flex-end">
              <Button type="submit" disabled={!changed || name.trim() === ''} loading={save.isPending}>
                Save changes
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Paper>
  );
}

function OwnerSettings({ project }: { project: Project }) {
  const me = useSession();
  const [newOwner, setNewOwner] = useState<PickedPerson | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [transferredTo, setTransferredTo] = useState<string | null>(null);

  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="owner-heading">
      <Stack gap="sm">
        <Title order={2} fz="lg" id="owner-heading">
          Project owner
        </Title>
        <Text>
          Owned by{' '}
          {me.abilities.viewPeople ? (
            <EntityLink kind="person" id={project.owner.username} name={project.owner.username} />
          ) : (
            <strong>{project.owner.username}</strong>
          )}
          . The owner is a project Admin; after a transfer, the old owner keeps only the access they had otherwise.
        </Text>
        {project.abilities.transferOwnership && me.abilities.viewPeople && (
          <Group align="flex-end" gap="sm" wrap="wrap">
            <div style={{ flex: '1 1 260px' }}>
              <PersonPicker
                label="New owner"
                value={newOwner}
                onChange={(picked) => {
                  setNewOwner(picked);
                  setConfirming(false);
                  setTransferredTo(null);
                }}
                excludeIds={[project.ownerId]}
              />
            </div>
            <Button onClick={() => setConfirming(true)} disabled={newOwner === null || confirming}>
              Transfer ownership
            </Button>
          </Group>
        )}
        {confirming && newOwner && (
          <TransferConfirmation
            project={project}
            ownerUsername={project.owner.username}
            to={newOwner}
            onCancel={() => setConfirming(false)}
            onTransferred={(to) => {
              setConfirming(false);
              setNewOwner(null);
              setTransferredTo(to.username);
            }}
          />
        )}
        {transferredTo !== null && (
          <Alert color="green" variant="light" icon={<IconCheck />} role="status">
            Ownership transferred to {transferredTo}.
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

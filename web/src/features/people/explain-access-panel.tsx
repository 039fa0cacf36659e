import { Alert, Button, Group, List, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { type ExplainQuestion, type Explanation, explainAccess } from '../../api/authorize';
import { type Permission, type PermissionScope, permissionCatalogue } from '../../api/catalogue';
import { isApiError } from '../../api/client';
import { listProjects } from '../../api/projects';
import { IconAlert, IconCheck, IconLock } from '../../components/icons';
import { roleLabel } from '../../components/role-badge';
import { PermissionSelect } from './permission-select';

interface ExplainAccessPanelProps {
  /** Whose access to explain; null until someone is picked in `subjectPicker`. */
  subject: { id: string; username: string } | null;
  /** A picker for the subject, when the panel does not explain one fixed person. */
  subjectPicker?: ReactNode;
  /** The project the question is about, when the panel lives on a project's page. */
  project?: { id: string; name: string };
  scopes?: readonly PermissionScope[];
}

/** "Why can <user> …?" (docs/product/console.md#explain-access): the decision for one permission, with every path that grants it. */
export function ExplainAccessPanel({ subject, subjectPicker, project, scopes = ['organization', 'project'] }: ExplainAccessPanelProps) {
  const [permission, setPermission] = useState<Permission | null>(null);
  const [projectId, setProjectId] = useState<string | null>(project?.id ?? null);
  const [asked, setAsked] = useState<ExplainQuestion | null>(null);
  const needsProject = permission?.startsWith('project.') ?? false;
  const projects = useQuery({
    queryKey: ['projects', 'picker'],
    queryFn: ({ signal }) => listProjects(undefined, 200, signal),
    enabled: needsProject && project === undefined,
  });
  const answer = useQuery({
    queryKey: ['explain', asked],
    queryFn: ({ signal }) => explainAccess(asked as ExplainQuestion, signal),
    enabled: asked !== null,
    staleTime: 0,
  });

  const ready = subject !== null && permission !== null && (!needsProject || projectId !== null);
  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (!ready) return;
    setAsked({ userId: subject.id, permission, projectId: needsProject ? (projectId ?? undefined) : undefined });
  }

  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="explain-heading">
      <Stack gap="sm">
        <Title order={2} fz="lg" id="explain-heading">
          Explain access
        </Title>
        <Text c="dimmed" fz="sm" mt={-6}>
          Why can {subject?.username ?? 'someone'} … ? Pick a permission{project ? '' : ' (and a project, for project permissions)'} to see
          the decision and every path that grants it.
        </Text>
        <form onSubmit={submit} aria-label="Explain access">
          <Group align="flex-end" gap="sm" wrap="wrap">
            {subjectPicker && <div style={{ flex: '1 1 220px' }}>{subjectPicker}</div>}
            <div style={{ flex: '2 1 280px' }}>
              <PermissionSelect value={permission} onChange={setPermission} scopes={scopes} />
            </div>
            {needsProject && project === undefined && (
              <Select
                label="Project"
                placeholder={projects.isPending ? 'Loading projects…' : 'Pick a project'}
                searchable
                data={(projects.data?.items ?? []).map((item) => ({ value: item.id, label: item.name }))}
                value={projectId}
                onChange={setProjectId}
                nothingFoundMessage={projects.isError ? 'Could not load projects' : 'No project matches'}
                style={{ flex: '1 1 200px' }}
                comboboxProps={{ withinPortal: true }}
              />
            )}
            <Button type="submit" disabled={!ready} loading={answer.isFetching}>
              Explain
            </Button>
          </Group>
        </form>
        {answer.isError && (
          <Alert color="red" variant="light" icon={<IconAlert />} title="Could not explain this decision">
            {isApiError(answer.error) ? answer.error.detail : 'Something went wrong. Please try again.'}
          </Alert>
        )}
        {answer.data && <Decision explanation={answer.data} />}
      </Stack>
    </Paper>
  );
}

function Decision({ explanation }: { explanation: Explanation }) {
  const { allowed, permission, reason, paths, subject, project } = explanation;
  const where = project ? ` on "${project.name}"` : '';
  const description = permissionCatalogue.find((entry) => entry.name === permission)?.description;
  return (
    <Alert
      color={allowed ? 'green' : 'red'}
      variant="light"
      icon={allowed ? <IconCheck /> : <IconLock />}
      title={`${allowed ? 'Allowed' : 'Refused'}: ${subject.username} ${allowed ? 'may' : 'may not'} use ${permission}${where}`}
      role="status"
      data-decision={allowed ? 'allowed' : 'refused'}
    >
      <Stack gap={6}>
        {description && (
          <Text fz="sm" c="dimmed">
            {permission}: {description}
          </Text>
        )}
        {allowed ? (
          <>
            <Text fz="sm">{paths.length === 1 ? 'Granted by:' : `Granted by ${paths.length} paths:`}</Text>
            <List size="sm" spacing={4}>
              {paths.map((path) => (
                <List.Item key={path}>
                  <Text span ff="monospace" fz="sm">
                    {path}
                  </Text>
                </List.Item>
              ))}
            </List>
          </>
        ) : (
          <Text fz="sm">{reason}</Text>
        )}
        <Text fz="xs" c="dimmed">
          Effective instance role: {roleLabel(subject.effectiveRole)} ({subject.effectiveRoleVia.join('; ') || 'direct role'}).
        </Text>
      </Stack>
    </Alert>
  );
}

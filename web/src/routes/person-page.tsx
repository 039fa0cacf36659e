import { Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { PersonDetail } from '../api/people';
import { EmptyState } from '../components/empty-state';
import { EntityLink } from '../components/entity-link';
import { ErrorState } from '../components/error-state';
import { IconUserCog, IconX } from '../components/icons';
import { PageHeader } from '../components/page-header';
import { PageLoader } from '../components/page-loader';
import { formatDateTime, RelativeTime } from '../components/relative-time';
import { RequireAbility } from '../components/require-ability';
import { RoleBadge, roleLabel } from '../components/role-badge';
import { EditUserDialog } from '../features/people/edit-user-dialog';
import { ExplainAccessPanel } from '../features/people/explain-access-panel';
import { personByUsernameOptions } from '../features/people/people-queries';
import { PersonStatus } from '../features/people/people-table';
import { RemovePersonDialog } from '../features/people/remove-person-dialog';
import { ResetTwoFactorDialog } from '../features/people/reset-two-factor-dialog';
import { TwoFactorBadge } from '../features/people/two-factor-badge';

/**
 * `/people/<username>`: one person's account, groups and projects, and "Why can <user> …?"
 * (docs/product/console.md#people, docs/product/console.md#explain-access).
 */
export function PersonPage() {
  const { username = '' } = useParams();
  return (
    <>
      <PageHeader title={username} section="People" sectionTo="/people" />
      <RequireAbility ability="viewPeople">
        <PersonLoader username={username} />
      </RequireAbility>
    </>
  );
}

function PersonLoader({ username }: { username: string }) {
  const person = useQuery(personByUsernameOptions(username));
  if (person.isError) return <ErrorState title="Could not load this person" error={person.error} onRetry={() => void person.refetch()} />;
  if (person.isPending) return <PageLoader label="Loading person…" />;
  if (person.data === null) {
    return (
      <EmptyState
        title="No such person"
        action={
          <Button component={Link} to="/people" variant="default" mt="xs">
            Back to People
          </Button>
        }
      >
        Nobody on this server has the username “{username}”. They may have been renamed or removed.
      </EmptyState>
    );
  }
  return <PersonDetails person={person.data} />;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text fz="sm" c="dimmed" fw={600} component="dt">
        {label}
      </Text>
      <Text component="dd" m={0}>
        {children}
      </Text>
    </Stack>
  );
}

function PersonDetails({ person }: { person: PersonDetail }) {
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [resettingMfa, setResettingMfa] = useState(false);
  const { abilities } = person;
  const canResetMfa = person.mfaEnabled && abilities.resetMfa;
  const canEdit = abilities.changeRole || abilities.changeEmail || abilities.resetPassword || abilities.unlock || abilities.endSessions;

  return (
    <Stack gap="lg">
      <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="account-heading">
        <Group justify="space-between" mb="md">
          <Group gap="xs">
            <Title order={2} fz="lg" id="account-heading">
              Account
            </Title>
            <RoleBadge role={person.effectiveRole} />
            <PersonStatus person={person} />
          </Group>
          <Group gap="xs">
            {canEdit && (
              <Button variant="default" leftSection={<IconUserCog size={16} />} onClick={() => setEditing(true)}>
                Edit
              </Button>
            )}
            {abilities.remove && (
              <Button variant="default" color="red" leftSection={<IconX size={16} />} onClick={() => setRemoving(true)}>
                Remove
              </Button>
            )}
          </Group>
        </Group>
        <SimpleGrid component="dl" cols={{ base: 1, sm: 2, md: 3 }} spacing="md" m={0}>
          <Fact label="Email">{person.email}</Fact>
          <Fact label="Role">
            {roleLabel(person.role)}
            {person.effectiveRole !== person.role && ` (acts as ${roleLabel(person.effectiveRole)} through a group)`}
          </Fact>
          <Fact label="Login">{person.locked ? 'Locked after failed attempts' : 'Not locked'}</Fact>
          <Fact label="Created">{formatDateTime(person.createdAt)}</Fact>
          <Fact label="Last seen">
            <RelativeTime value={person.lastSeenAt} />
          </Fact>
          <Fact label="Groups">
            {person.groups.length === 0
              ? 'None'
              : person.groups.map((group, index) => (
                  <span key={group.id}>
                    {index > 0 && ', '}
                    <EntityLink kind="group" id={group.id} name={group.name} />
                  </span>
                ))}
          </Fact>
        </SimpleGrid>
      </Paper>
      {person.status === 'active' && person.type === 'person' && (
        <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="two-factor-heading">
          <Group justify="space-between" gap="sm">
            <Stack gap={4}>
              <Group gap="xs">
                <Title order={2} fz="lg" id="two-factor-heading">
                  Two-factor authentication
                </Title>
                <TwoFactorBadge enabled={person.mfaEnabled} />
              </Group>
              <Text c="dimmed" fz="sm">
                {person.mfaEnabled
                  ? `${person.username} proves each login with an authenticator app, a security key or a passkey.`
                  : `${person.username} logs in with a password alone.`}
              </Text>
            </Stack>
            {canResetMfa && (
              <Button variant="default" color="red" onClick={() => setResettingMfa(true)}>
                Reset two-factor authentication
              </Button>
            )}
          </Group>
        </Paper>
      )}
      <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="owned-heading">
        <Title order={2} fz="lg" id="owned-heading" mb="xs">
          Projects owned
        </Title>
        {person.ownedProjects.length === 0 ? (
          <Text c="dimmed">{person.username} owns no projects.</Text>
        ) : (
          <Group gap="md">
            {person.ownedProjects.map((project) => (
              <EntityLink key={project.id} kind="project" id={project.id} name={project.name} />
            ))}
          </Group>
        )}
      </Paper>
      {person.status === 'active' && <ExplainAccessPanel subject={{ id: person.id, username: person.username }} />}
      <EditUserDialog person={editing ? person : null} onClose={() => setEditing(false)} />
      <ResetTwoFactorDialog person={resettingMfa ? person : null} onClose={() => setResettingMfa(false)} />
      <RemovePersonDialog person={removing ? person : null} onClose={() => setRemoving(false)} onRemoved={() => void navigate('/people')} />
    </Stack>
  );
}

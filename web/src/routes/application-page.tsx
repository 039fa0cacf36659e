import { Button, Group, List, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import type { Application } from '../api/applications';
import { isApiError } from '../api/client';
import { DateTime } from '../components/date-time';
import { DetailsSection } from '../components/details-section';
import { ErrorState } from '../components/error-state';
import { PageHeader } from '../components/page-header';
import { PageLoader } from '../components/page-loader';
import { ReadOnlyFields } from '../components/read-only-fields';
import { RequireAbility } from '../components/require-ability';
import { AllowedGroups, ApplicationTypeBadge, FirstPartyBadge } from '../features/applications/application-badges';
import { applicationQueryOptions } from '../features/applications/applications-queries';
import { EditApplicationDialog } from '../features/applications/edit-application-dialog';
import { ProviderAddresses } from '../features/applications/provider-addresses';
import { RemoveApplicationDialog } from '../features/applications/remove-application-dialog';
import { RotateSecretDialog } from '../features/applications/rotate-secret-dialog';

/**
 * `/settings/applications/<id>`: one application, what it needs to find Roster, its settings, and Edit, Rotate secret
 * and Remove where the server allows them (docs/product/console.md#applications).
 */
export function ApplicationPage() {
  return (
    <RequireAbility ability="viewApplications">
      <ApplicationDetails />
    </RequireAbility>
  );
}

function ApplicationDetails() {
  const { applicationId = '' } = useParams();
  const application = useQuery(applicationQueryOptions(applicationId));
  if (application.isPending) return <PageLoader label="Loading the application…" />;
  if (application.isError) {
    const missing = isApiError(application.error, { status: 404 });
    return (
      <>
        <PageHeader title="Application" section="Applications" sectionTo="/settings/applications" />
        <ErrorState
          title={missing ? 'There is no such application' : 'Could not load the application'}
          error={application.error}
          onRetry={missing ? undefined : () => void application.refetch()}
        />
      </>
    );
  }
  return <ApplicationView application={application.data} />;
}

function ApplicationView({ application }: { application: Application }) {
  const { edit: mayEdit, rotateSecret: mayRotate, remove: mayRemove, reason } = application.abilities;
  const [editing, edit] = useDisclosure(false);
  const [rotating, rotate] = useDisclosure(false);
  const [removing, remove] = useDisclosure(false);
  return (
    <Stack gap="lg" maw={960}>
      <PageHeader
        title={application.name}
        section="Applications"
        sectionTo="/settings/applications"
        description={
          <Group component="span" gap="xs" wrap="wrap">
            <ApplicationTypeBadge type={application.type} />
            {application.firstParty && <FirstPartyBadge />}
            <Text span c="dimmed">
              {application.type === 'confidential'
                ? 'A server-side application that signs in with its client secret.'
                : 'A single-page or native application: PKCE only, no secret.'}
            </Text>
          </Group>
        }
      />
      {(mayEdit || mayRotate || mayRemove) && (
        <Group gap="sm" mt={-16}>
          {mayEdit && <Button onClick={edit.open}>Edit</Button>}
          {mayRotate && (
            <Button variant="default" onClick={rotate.open}>
              Rotate secret
            </Button>
          )}
          {mayRemove && (
            <Button variant="default" color="red" onClick={remove.open}>
              Remove
            </Button>
          )}
        </Group>
      )}
      {!mayEdit && reason !== null && (
        <Text c="dimmed" fz="sm" mt={-16} data-manage-reason="">
          {reason}
        </Text>
      )}
      <DetailsSection title="Connect the application">
        <Text fz="sm" c="dimmed">
          Give the application these values. It finds every endpoint and key in the discovery document.
          {application.type === 'confidential' ? ' Its client secret was shown once, when it was registered or rotated.' : ''}
        </Text>
        <ProviderAddresses clientId={application.clientId} />
        {application.previousSecretExpiresAt !== null && (
          <Text fz="sm" data-previous-secret="">
            The previous client secret keeps working until <DateTime value={application.previousSecretExpiresAt} mode="absolute" />.
          </Text>
        )}
      </DetailsSection>
      <DetailsSection title="Settings">
        <ReadOnlyFields
          fields={[
            { label: 'Redirect URIs', value: <UriList uris={application.redirectUris} /> },
            {
              label: 'Post-logout redirect URIs',
              value: application.postLogoutRedirectUris.length > 0 ? <UriList uris={application.postLogoutRedirectUris} /> : 'None',
            },
            { label: 'Who may sign in', value: <AllowedGroups application={application} /> },
            {
              label: 'Consent',
              value: application.firstParty
                ? 'First-party: people are not asked for consent.'
                : 'People are asked once which information it may have; they can revoke it on their profile.',
            },
            {
              label: 'Authorization API',
              value: application.authorizeApi ? 'May ask what any person may do, with its client secret.' : 'No',
            },
            { label: "Roster's API", value: application.rosterApi ? "May use Roster's API as the person (roster:api)." : 'No' },
            {
              label: 'Registered',
              value: (
                <>
                  <DateTime value={application.createdAt} mode="absolute" />
                  {application.createdBy ? ` by ${application.createdBy.username}` : ''} · last changed{' '}
                  <DateTime value={application.updatedAt} />
                </>
              ),
            },
          ]}
        />
      </DetailsSection>
      {mayEdit && <EditApplicationDialog application={application} opened={editing} onClose={edit.close} />}
      {mayRotate && <RotateSecretDialog application={application} opened={rotating} onClose={rotate.close} />}
      {mayRemove && <RemoveApplicationDialog application={application} opened={removing} onClose={remove.close} />}
    </Stack>
  );
}

function UriList({ uris }: { uris: string[] }) {
  return (
    <List spacing={2} listStyleType="none" ml={0} pl={0}>
      {uris.map((uri) => (
        <List.Item key={uri}>
          <Text span ff="monospace" fz="sm" style={{ overflowWrap: 'anywhere' }}>
            {uri}
          </Text>
        </List.Item>
      ))}
    </List>
  );
}

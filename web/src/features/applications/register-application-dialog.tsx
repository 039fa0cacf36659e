import { Button, Group, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { type Application, type CreateApplicationBody, createApplication } from '../../api/applications';
import { Dialog } from '../../components/dialog';
import { useRequestClose } from '../../components/one-time-secret';
import { useSession } from '../session/session-context';
import { ApplicationForm, type ApplicationFormValues } from './application-form';
import { applicationsQueryKey } from './applications-queries';
import { ClientSecret } from './client-secret';
import { ProviderAddresses } from './provider-addresses';

interface Registered {
  application: Application;
  clientSecret?: string | undefined;
}

/** The body of `POST /applications` for the form's values; the trust options only from those who may set them. */
export function registrationBody(values: ApplicationFormValues, mayTrust: boolean): CreateApplicationBody {
  return {
    name: values.name,
    type: values.type,
    redirectUris: values.redirectUris,
    postLogoutRedirectUris: values.postLogoutRedirectUris,
    ...(values.allowedGroups === null ? {} : { allowedGroupIds: values.allowedGroups.map((group) => group.id) }),
    ...(mayTrust ? { firstParty: values.firstParty, authorizeApi: values.authorizeApi, rosterApi: values.rosterApi } : {}),
  };
}

/**
 * Register application (docs/product/console.md#applications): the form, then the client id, the issuer and discovery
 * URL, and for a confidential application its client secret, shown once.
 */
export function RegisterApplicationDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [registered, setRegistered] = useState<Registered | null>(null);
  function close(): void {
    setRegistered(null);
    onClose();
  }
  return (
    <Dialog
      opened={opened}
      onClose={close}
      title={registered ? `Application ${registered.application.name} registered` : 'Register application'}
      closeOnClickOutside={registered === null}
      size="lg"
    >
      {registered === null ? (
        <RegisterForm onRegistered={setRegistered} onCancel={close} />
      ) : (
        <RegisteredApplication registered={registered} onDone={close} />
      )}
    </Dialog>
  );
}

function RegisterForm({ onRegistered, onCancel }: { onRegistered: (registered: Registered) => void; onCancel: () => void }) {
  const { abilities } = useSession();
  const queryClient = useQueryClient();
  const register = useMutation({
    mutationFn: (values: ApplicationFormValues) => createApplication(registrationBody(values, abilities.trustApplications)),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: applicationsQueryKey });
      onRegistered(result);
    },
  });
  return (
    <Stack gap="md">
      <Text fz="sm" c="dimmed">
        An application signs people in through Roster with OpenID Connect: they use their Roster account, password and second factor, and
        removing a person from Roster signs them out of it too.
      </Text>
      <ApplicationForm
        submitLabel="Register application"
        mayTrust={abilities.trustApplications}
        pending={register.isPending}
        error={register.error}
        onSubmit={(values) => register.mutate(values)}
        onCancel={onCancel}
      />
    </Stack>
  );
}

function RegisteredApplication({ registered, onDone }: { registered: Registered; onDone: () => void }) {
  // Done asks first while the secret was not copied, like Escape and ×.
  const done = useRequestClose(onDone);
  // The form that had focus is gone: focus moves to the summary, not to <body>.
  const summaryRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => summaryRef.current?.focus(), []);
  const { application, clientSecret } = registered;
  return (
    <Stack gap="md">
      <Text fw={600} role="status" ref={summaryRef} tabIndex={-1} style={{ outline: 'none' }}>
        {application.name} was registered as a {application.type} application. Configure it with these values.
      </Text>
      <ProviderAddresses clientId={application.clientId} />
      {clientSecret !== undefined && <ClientSecret name={application.name} secret={clientSecret} />}
      <Group justify="flex-end">
        <Button onClick={done}>Done</Button>
      </Group>
    </Stack>
  );
}

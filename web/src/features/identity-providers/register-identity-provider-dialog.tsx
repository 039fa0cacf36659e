import { Button, Group, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { createIdentityProvider, type IdentityProvider } from '../../api/identity-providers';
import { Dialog } from '../../components/dialog';
import { ReadOnlyFields } from '../../components/read-only-fields';
import { IdentityProviderForm, type IdentityProviderFormValues } from './identity-provider-form';
import { identityProvidersQueryKey } from './identity-providers-queries';
import { RedirectUri } from './redirect-uri';

/**
 * Register provider (docs/sso.md, "Registering a provider"): the form, then the redirect URI to register at the
 * provider as the client's callback.
 */
export function RegisterIdentityProviderDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [registered, setRegistered] = useState<IdentityProvider | null>(null);
  function close(): void {
    setRegistered(null);
    onClose();
  }
  return (
    <Dialog
      opened={opened}
      onClose={close}
      title={registered ? `${registered.label} registered` : 'Register provider'}
      closeOnClickOutside={registered === null}
      size="xl"
    >
      {registered === null ? (
        <RegisterForm onRegistered={setRegistered} onCancel={close} />
      ) : (
        <RegisteredProvider provider={registered} onDone={close} />
      )}
    </Dialog>
  );
}

function RegisterForm({ onRegistered, onCancel }: { onRegistered: (provider: IdentityProvider) => void; onCancel: () => void }) {
  const queryClient = useQueryClient();
  const register = useMutation({
    mutationFn: ({ clientSecret, ...values }: IdentityProviderFormValues) =>
      createIdentityProvider({ ...values, clientSecret: clientSecret ?? '' }),
    onSuccess: (provider) => {
      void queryClient.invalidateQueries({ queryKey: identityProvidersQueryKey });
      onRegistered(provider);
    },
  });
  return (
    <Stack gap="md">
      <Text fz="sm" c="dimmed">
        First create an OpenID Connect client at the provider (a confidential or web application with a client secret, authorization code
        flow). Then people can log in to Roster with it.
      </Text>
      <IdentityProviderForm
        submitLabel="Register provider"
        pending={register.isPending}
        error={register.error}
        onSubmit={(values) => register.mutate(values)}
        onCancel={onCancel}
      />
    </Stack>
  );
}

function RegisteredProvider({ provider, onDone }: { provider: IdentityProvider; onDone: () => void }) {
  // The form that had focus is gone: focus moves to the summary, not to <body>.
  const summaryRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => summaryRef.current?.focus(), []);
  return (
    <Stack gap="md">
      <Text fw={600} role="status" ref={summaryRef} tabIndex={-1} style={{ outline: 'none' }}>
        {provider.label} was registered. Register this redirect URI at the provider as the client's callback address.
      </Text>
      <ReadOnlyFields fields={[{ label: 'Redirect URI', value: <RedirectUri value={provider.redirectUri} /> }]} />
      <Group justify="flex-end">
        <Button onClick={onDone}>Done</Button>
      </Group>
    </Stack>
  );
}

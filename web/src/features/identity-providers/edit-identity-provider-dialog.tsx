import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type IdentityProvider, type UpdateIdentityProviderBody, updateIdentityProvider } from '../../api/identity-providers';
import { Dialog } from '../../components/dialog';
import { IdentityProviderForm, type IdentityProviderFormValues } from './identity-provider-form';
import { identityProvidersQueryKey } from './identity-providers-queries';

/** The body of `PATCH /identity-providers/:id`: everything the form shows; the client secret only when a new one was typed. */
function updateBody({ clientSecret, ...values }: IdentityProviderFormValues): UpdateIdentityProviderBody {
  return { ...values, ...(clientSecret === null ? {} : { clientSecret }) };
}

/** Edit an identity provider (docs/sso.md): the registration form, filled in; the stored client secret stays unless replaced. */
export function EditIdentityProviderDialog({
  provider,
  opened,
  onClose,
}: {
  provider: IdentityProvider;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <Dialog opened={opened} onClose={onClose} title={`Edit ${provider.label}`} size="xl">
      {opened && <EditForm provider={provider} onClose={onClose} />}
    </Dialog>
  );
}

function EditForm({ provider, onClose }: { provider: IdentityProvider; onClose: () => void }) {
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (values: IdentityProviderFormValues) => updateIdentityProvider(provider.id, updateBody(values)),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: identityProvidersQueryKey });
      notifications.show({ color: 'green', title: `${saved.label} saved`, message: 'The changes apply to the next login.' });
      onClose();
    },
  });
  return (
    <IdentityProviderForm
      provider={provider}
      submitLabel="Save changes"
      pending={save.isPending}
      error={save.error}
      onSubmit={(values) => save.mutate(values)}
      onCancel={onClose}
    />
  );
}

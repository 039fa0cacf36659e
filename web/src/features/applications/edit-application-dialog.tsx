import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type Application, type UpdateApplicationBody, updateApplication } from '../../api/applications';
import { Dialog } from '../../components/dialog';
import { ApplicationForm, type ApplicationFormValues } from './application-form';
import { applicationsQueryKey } from './applications-queries';

/** The body of `PATCH /applications/:id`: everything the form shows; null groups: everyone may sign in again. */
function updateBody(values: ApplicationFormValues, mayTrust: boolean): UpdateApplicationBody {
  return {
    name: values.name,
    redirectUris: values.redirectUris,
    postLogoutRedirectUris: values.postLogoutRedirectUris,
    allowedGroupIds: values.allowedGroups === null ? null : values.allowedGroups.map((group) => group.id),
    ...(mayTrust ? { firstParty: values.firstParty, authorizeApi: values.authorizeApi, rosterApi: values.rosterApi } : {}),
  };
}

/** Edit an application (docs/product/console.md#applications): the registration form, filled in; the type stays. */
export function EditApplicationDialog({
  application,
  opened,
  onClose,
}: {
  application: Application;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <Dialog opened={opened} onClose={onClose} title={`Edit ${application.name}`} size="lg">
      {opened && <EditForm application={application} onClose={onClose} />}
    </Dialog>
  );
}

function EditForm({ application, onClose }: { application: Application; onClose: () => void }) {
  const mayTrust = application.abilities.trust;
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (values: ApplicationFormValues) => updateApplication(application.id, updateBody(values, mayTrust)),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: applicationsQueryKey });
      notifications.show({ color: 'green', title: `${saved.name} saved`, message: 'The changes apply to the next sign-in.' });
      onClose();
    },
  });
  return (
    <ApplicationForm
      application={application}
      submitLabel="Save changes"
      mayTrust={mayTrust}
      pending={save.isPending}
      error={save.error}
      onSubmit={(values) => save.mutate(values)}
      onCancel={onClose}
    />
  );
}

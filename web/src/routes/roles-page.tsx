import { ComingSoon } from '../components/coming-soon';
import { PageHeader } from '../components/page-header';
import { RequireAbility } from '../components/require-ability';

/** `/settings/roles`: the predefined organization and project roles (SPEC §4.4). */
export function RolesPage() {
  return (
    <>
      <PageHeader title="Roles" section="Settings" description="Organization and project roles, and the permissions each one grants." />
      <RequireAbility ability="viewRoles">
        <ComingSoon area="The Roles page" />
      </RequireAbility>
    </>
  );
}

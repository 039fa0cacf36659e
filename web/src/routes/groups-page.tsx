import { ComingSoon } from '../components/coming-soon';
import { PageHeader } from '../components/page-header';
import { RequireAbility } from '../components/require-ability';

/** `/groups`: teams that share an instance role and project access (SPEC §4.6). */
export function GroupsPage() {
  return (
    <>
      <PageHeader title="Groups" description="Teams that share an instance role and project access." />
      <RequireAbility ability="viewGroups">
        <ComingSoon area="The Groups page" />
      </RequireAbility>
    </>
  );
}

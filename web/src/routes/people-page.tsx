import { ComingSoon } from '../components/coming-soon';
import { PageHeader } from '../components/page-header';
import { RequireAbility } from '../components/require-ability';

/** `/people`: people on this server, their roles and temporary passwords (SPEC §4.2). */
export function PeoplePage() {
  return (
    <>
      <PageHeader title="People" description="Everyone who can log in to this server, their roles and groups." />
      <RequireAbility ability="viewPeople">
        <ComingSoon area="The People page" />
      </RequireAbility>
    </>
  );
}

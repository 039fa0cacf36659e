import { ComingSoon } from '../components/coming-soon';
import { PageHeader } from '../components/page-header';
import { RequireAbility } from '../components/require-ability';

/** `/projects`: projects the caller can see and who may work on them (SPEC §4.5). */
export function ProjectsPage() {
  return (
    <>
      <PageHeader title="Projects" description="Projects you can see, their owners and who may work on them." />
      <RequireAbility ability="viewProjects">
        <ComingSoon area="The Projects page" />
      </RequireAbility>
    </>
  );
}

import { ComingSoon } from '../components/coming-soon';
import { PageHeader } from '../components/page-header';

/** `/profile`: the caller's own account (SPEC §4.1). Every signed-in user may open it. */
export function ProfilePage() {
  return (
    <>
      <PageHeader title="Profile settings" description="Your screen name, email address, password, sessions and personal API token." />
      <ComingSoon area="Profile settings" />
    </>
  );
}

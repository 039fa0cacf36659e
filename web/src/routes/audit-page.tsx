import { ComingSoon } from '../components/coming-soon';
import { PageHeader } from '../components/page-header';
import { RequireAbility } from '../components/require-ability';

/** `/audit`: every change and security event, tamper-evident (SPEC §4.7). */
export function AuditPage() {
  return (
    <>
      <PageHeader title="Audit log" description="Every change and sign-in on this server, in a tamper-evident trail." />
      <RequireAbility ability="viewAuditLog">
        <ComingSoon area="The Audit log" />
      </RequireAbility>
    </>
  );
}

import { Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ErrorState } from '../components/error-state';
import { PageHeader } from '../components/page-header';
import { PageLoader } from '../components/page-loader';
import { RequireAbility } from '../components/require-ability';
import { SettingsMenu } from '../features/navigation/settings-pages';
import { SecurityPolicyForm } from '../features/settings/security-policy-form';
import { securitySettingsOptions } from '../features/settings/security-settings-queries';

/** `/settings/security`: the two-factor authentication policy, for Owners (docs/product/console.md#security). */
export function SecuritySettingsPage() {
  return (
    <>
      <PageHeader title="Security" section="Settings" description="Decide who must use two-factor authentication on this server." />
      <SettingsMenu />
      <RequireAbility ability="manageSecuritySettings">
        <SecuritySettings />
      </RequireAbility>
    </>
  );
}

function SecuritySettings() {
  const settings = useQuery(securitySettingsOptions);
  if (settings.isPending) return <PageLoader label="Loading the security settings…" />;
  if (settings.isError) {
    return <ErrorState title="Could not load the security settings" error={settings.error} onRetry={() => void settings.refetch()} />;
  }
  return (
    <Stack gap="lg" maw={760}>
      <SecurityPolicyForm settings={settings.data} />
    </Stack>
  );
}

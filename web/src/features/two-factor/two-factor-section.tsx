import { useQuery } from '@tanstack/react-query';
import { SettingsSection } from '../../components/settings-section';
import { SecurityKeys, webAuthnQueryOptions } from './security-keys';

/**
 * Profile settings → **Two-factor authentication** (docs/product/console.md#two-factor-authentication): an
 * authenticator app, security keys and passkeys, recovery codes.
 */
export function TwoFactorSection() {
  const keys = useQuery(webAuthnQueryOptions);
  const enabled = (keys.data?.items.length ?? 0) > 0;
  return (
    <SettingsSection
      id="two-factor"
      title="Two-factor authentication"
      description="A second step after your password, so that a stolen password alone does not open your account."
    >
      <SecurityKeys secondFactorNeeded={enabled} />
    </SettingsSection>
  );
}

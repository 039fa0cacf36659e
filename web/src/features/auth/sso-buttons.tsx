import { Button, Stack } from '@mantine/core';
import type { SsoLoginMethod } from '../../api/webauthn';
import { IconArrowRight } from '../../components/icons';

/** The start address of a provider's login, coming back to `returnTo` (a console path) when there is one. */
function startHref(provider: SsoLoginMethod, returnTo: string | undefined): string {
  if (returnTo === undefined) return provider.startUrl;
  const separator = provider.startUrl.includes('?') ? '&' : '?';
  return `${provider.startUrl}${separator}returnTo=${encodeURIComponent(returnTo)}`;
}

/**
 * **Log in with <label>**, one per company identity provider (SPEC §12.2): plain links, since the login leaves the
 * console for the provider's page and comes back through the server.
 */
export function SsoButtons({ providers, returnTo }: { providers: SsoLoginMethod[]; returnTo?: string | undefined }) {
  return (
    <Stack gap="sm">
      {providers.map((provider) => (
        <Button
          key={provider.id}
          component="a"
          href={startHref(provider, returnTo)}
          variant="default"
          fullWidth
          size="md"
          rightSection={<IconArrowRight size={16} />}
          data-sso-provider={provider.label}
        >
          Log in with {provider.label}
        </Button>
      ))}
    </Stack>
  );
}

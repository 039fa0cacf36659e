import { Box, Grid, NavLink, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useLocation, useSearchParams } from 'react-router';
import { PageHeader } from '../components/page-header';
import { loginMethodsQueryOptions } from '../features/auth/login-methods-query';
import { safeInteractionPath } from '../features/oidc/interaction-path';
import { ApiTokenSection } from '../features/profile/api-token-section';
import { ApplicationsSection } from '../features/profile/applications-section';
import { ReauthenticatedNotice } from '../features/profile/confirm-with-provider';
import { EmailSection } from '../features/profile/email-section';
import { LinkedAccountsSection } from '../features/profile/linked-accounts-section';
import { PasswordSection } from '../features/profile/password-section';
import { ScreenNameSection } from '../features/profile/screen-name-section';
import { SessionsSection } from '../features/profile/sessions-section';
import { TwoFactorSection } from '../features/two-factor/two-factor-section';

/** The sections, in page order; Linked accounts only where the server offers an identity provider. */
function sectionsOf(withLinkedAccounts: boolean) {
  return [
    { id: 'screen-name', label: 'Screen name' },
    { id: 'email', label: 'Email Address' },
    { id: 'api-token', label: 'API Token' },
    { id: 'password', label: 'Password' },
    { id: 'two-factor', label: 'Two-factor authentication' },
    ...(withLinkedAccounts ? [{ id: 'linked-accounts', label: 'Linked accounts' }] : []),
    { id: 'sessions', label: 'Sessions' },
    { id: 'applications', label: 'Applications' },
  ];
}

/**
 * `/profile`: the caller's own account (docs/product/console.md#profile-settings). Every signed-in user may open it.
 * With `?next=/interaction/<uid>` an application's sign-in waits for the person to set up 2FA here.
 */
export function ProfilePage() {
  const { hash } = useLocation();
  const [searchParams] = useSearchParams();
  const signInToFinish = safeInteractionPath(searchParams.get('next'));
  const methods = useQuery(loginMethodsQueryOptions);
  const sections = sectionsOf((methods.data?.identityProviders ?? []).length > 0);
  return (
    <>
      <PageHeader
        title="Profile settings"
        description="Your screen name, email address, password, two-factor authentication, sessions, personal API token and the applications you allowed."
      />
      <Grid gutter="xl">
        <Grid.Col span={{ base: 12, md: 3 }} visibleFrom="md">
          <Box component="nav" aria-labelledby="profile-on-this-page" pos="sticky" top={84}>
            <Text id="profile-on-this-page" size="xs" fw={700} tt="uppercase" c="dimmed" mb={6} px="sm">
              On this page
            </Text>
            {sections.map((section) => (
              <NavLink
                key={section.id}
                href={`#${section.id}`}
                label={section.label}
                active={hash === `#${section.id}`}
                aria-current={hash === `#${section.id}` ? 'location' : undefined}
                style={{ borderRadius: 'var(--mantine-radius-md)' }}
              />
            ))}
          </Box>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 9 }}>
          <Stack maw={820}>
            <ReauthenticatedNotice />
            <ScreenNameSection />
            <EmailSection />
            <ApiTokenSection />
            <PasswordSection />
            <TwoFactorSection signInToFinish={signInToFinish} />
            <LinkedAccountsSection />
            <SessionsSection />
            <ApplicationsSection />
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}

import { Box, Grid, NavLink, Stack, Text } from '@mantine/core';
import { useLocation, useSearchParams } from 'react-router';
import { PageHeader } from '../components/page-header';
import { safeInteractionPath } from '../features/oidc/interaction-path';
import { ApiTokenSection } from '../features/profile/api-token-section';
import { ApplicationsSection } from '../features/profile/applications-section';
import { EmailSection } from '../features/profile/email-section';
import { PasswordSection } from '../features/profile/password-section';
import { ScreenNameSection } from '../features/profile/screen-name-section';
import { SessionsSection } from '../features/profile/sessions-section';
import { TwoFactorSection } from '../features/two-factor/two-factor-section';

const sections = [
  { id: 'screen-name', label: 'Screen name' },
  { id: 'email', label: 'Email Address' },
  { id: 'api-token', label: 'API Token' },
  { id: 'password', label: 'Password' },
  { id: 'two-factor', label: 'Two-factor authentication' },
  { id: 'sessions', label: 'Sessions' },
  { id: 'applications', label: 'Applications' },
];

/**
 * `/profile`: the caller's own account (docs/product/console.md#profile-settings). Every signed-in user may open it.
 * With `?next=/interaction/<uid>` an application's sign-in waits for the person to set up 2FA here.
 */
export function ProfilePage() {
  const { hash } = useLocation();
  const [searchParams] = useSearchParams();
  const signInToFinish = safeInteractionPath(searchParams.get('next'));
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
            <ScreenNameSection />
            <EmailSection />
            <ApiTokenSection />
            <PasswordSection />
            <TwoFactorSection signInToFinish={signInToFinish} />
            <SessionsSection />
            <ApplicationsSection />
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}

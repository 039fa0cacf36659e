import { Alert, Button, Group, Text } from '@mantine/core';
import { Link } from 'react-router';
import { IconArrowRight, IconCheck, IconKey } from '../../components/icons';

/**
 * In Profile settings → Two-factor authentication, when an application's sign-in sent the person here
 * (`/profile?next=/interaction/<uid>#two-factor`): what to do, and once 2FA is on, the way back to that sign-in.
 */
export function ContinueSignIn({ to, ready }: { to: string; ready: boolean }) {
  return (
    <Alert
      color={ready ? 'green' : undefined}
      variant="light"
      icon={ready ? <IconCheck /> : <IconKey />}
      title={ready ? 'Two-factor authentication is on' : 'An application is waiting for you to sign in'}
    >
      <Text size="sm" mb={ready ? 'sm' : 0}>
        {ready
          ? 'You can now continue signing in to the application.'
          : 'Set up an authenticator app, a security key or a passkey below; then continue signing in.'}
      </Text>
      {ready && (
        <Group>
          <Button component={Link} to={to} rightSection={<IconArrowRight />}>
            Continue signing in
          </Button>
        </Group>
      )}
    </Alert>
  );
}

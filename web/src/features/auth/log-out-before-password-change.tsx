import { Button, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Dialog } from '../../components/dialog';
import { useLogOut } from './use-log-out';

/**
 * "Log out" on the forced password change. A temporary password works only once
 * (docs/product/security-settings.md#temporary-passwords), so leaving here means asking an Owner or Admin for a new
 * one: the button asks before it ends the session.
 */
export function LogOutBeforePasswordChange() {
  const [opened, dialog] = useDisclosure(false);
  const logOut = useLogOut();

  return (
    <>
      <Button variant="default" size="sm" onClick={dialog.open}>
        Log out
      </Button>
      <Dialog opened={opened} onClose={dialog.close} title="Log out without setting a password?">
        <Text size="sm" mb="lg">
          Your temporary password works only once. If you log out now, you will need a new one from an Owner or Admin of this server before
          you can log in again.
        </Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={dialog.close} data-autofocus>
            Stay and set a password
          </Button>
          <Button color="red" onClick={() => logOut.mutate()} loading={logOut.isPending}>
            Log out
          </Button>
        </Group>
      </Dialog>
    </>
  );
}

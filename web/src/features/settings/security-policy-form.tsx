import { Alert, Anchor, Button, Group, NumberInput, Paper, Radio, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { errorDetail, fieldError } from '../../api/problem-fields';
import {
  mfaGraceDaysMax as graceDaysMax,
  mfaPolicies,
  type SecuritySettingsResponse,
  updateSecuritySettings,
} from '../../api/security-settings';
import { IconAlert } from '../../components/icons';
import { formatDateTime } from '../../components/relative-time';
import { SettingsSection } from '../../components/settings-section';
import { useSession } from '../session/session-context';
import { securitySettingsKey } from './security-settings-queries';

type MfaPolicy = SecuritySettingsResponse['mfaPolicy'];

/** The choices in the words of docs/product/console.md#security, with who each one covers. */
const policyChoices: Record<MfaPolicy, { label: string; description: string }> = {
  none: { label: 'Nobody', description: 'Everyone may set up two-factor authentication; nobody has to.' },
  admins: {
    label: 'Owners and Admins',
    description: 'People whose role is Owner or Admin, their own or through a group. Members may still choose to.',
  },
  everyone: { label: 'Everyone', description: 'Every person who logs in. Service accounts use tokens and are never asked.' },
};

/** Checked here first, so that the common mistakes show at the field without a round trip; the server checks again. */
function graceDaysProblem(value: string | number): string | undefined {
  if (value === '') return 'Enter a number of days (0 for none).';
  const days = Number(value);
  if (!Number.isInteger(days) || days < 0 || days > graceDaysMax) return `Enter a whole number of days from 0 to ${graceDaysMax}.`;
  return undefined;
}

/**
 * Settings → Security (docs/product/console.md#security, docs/product/security-settings.md#two-factor-authentication):
 * who must use two-factor authentication, and how many days they get to set it up.
 */
export function SecurityPolicyForm({ settings }: { settings: SecuritySettingsResponse }) {
  const me = useSession();
  const queryClient = useQueryClient();
  const [policy, setPolicy] = useState<MfaPolicy>(settings.mfaPolicy);
  const [graceDays, setGraceDays] = useState<string | number>(settings.mfaGraceDays);
  const [graceError, setGraceError] = useState<string | undefined>();

  const save = useMutation({
    mutationFn: updateSecuritySettings,
    onSuccess: (saved) => {
      queryClient.setQueryData(securitySettingsKey, saved);
      setPolicy(saved.mfaPolicy);
      setGraceDays(saved.mfaGraceDays);
      notifications.show({
        color: 'green',
        title: 'Security settings saved',
        message:
          saved.mfaPolicy === 'none'
            ? 'Nobody is required to use two-factor authentication.'
            : `${policyChoices[saved.mfaPolicy].label} must use two-factor authentication; ${daysPhrase(saved.mfaGraceDays)} to set it up.`,
      });
    },
    onError: (failure) => setGraceError(fieldError(failure, 'mfaGraceDays')),
  });

  const changed = policy !== settings.mfaPolicy || Number(graceDays) !== settings.mfaGraceDays;
  const otherError = save.isError && graceError === undefined ? errorDetail(save.error) : null;

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const problem = graceDaysProblem(graceDays);
    setGraceError(problem);
    if (problem === undefined) save.mutate({ mfaPolicy: policy, mfaGraceDays: Number(graceDays) });
  }

  return (
    <SettingsSection
      id="two-factor-policy"
      title="Two-factor authentication"
      description={`Current policy since ${formatDateTime(settings.mfaPolicyChangedAt)}.`}
    >
      <form onSubmit={submit} noValidate aria-label="Two-factor authentication policy">
        <Stack gap="lg">
          <Radio.Group
            label="Require two-factor authentication of"
            value={policy}
            onChange={(value) => {
              setPolicy(mfaPolicies.find((choice) => choice === value) ?? 'none');
              save.reset();
            }}
          >
            <Stack gap="xs" mt="xs">
              {mfaPolicies.map((choice) => (
                <Paper key={choice} withBorder p="sm" radius="md">
                  <Radio value={choice} label={policyChoices[choice].label} description={policyChoices[choice].description} />
                </Paper>
              ))}
            </Stack>
          </Radio.Group>
          <NumberInput
            label="Grace period (days)"
            description="How long each person in scope has to set it up: counted from this policy's start, their account's creation or their last reset, whichever is latest."
            value={graceDays}
            onChange={(value) => {
              setGraceDays(value);
              setGraceError(undefined);
              save.reset();
            }}
            min={0}
            max={graceDaysMax}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="none"
            error={graceError}
            maw={520}
            styles={{ wrapper: { maxWidth: 180 } }}
          />
          <Text size="sm">
            After the grace period, people in scope who have not set up two-factor authentication can still log in, but only to a restricted
            session that can do nothing except set it up. Their personal API tokens are refused until they do.
          </Text>
          {policy !== 'none' && !me.user.mfaEnabled && (
            <Alert color="orange" variant="light" icon={<IconAlert />} title="You have not set it up yourself">
              This policy may apply to you too. Set up two-factor authentication in{' '}
              <Anchor component={Link} to="/profile#two-factor" inherit>
                Profile settings
              </Anchor>{' '}
              before your grace period ends.
            </Alert>
          )}
          {otherError !== null && (
            <Alert color="red" variant="light" icon={<IconAlert />} title="Could not save the security settings">
              {otherError}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={save.isPending} disabled={!changed}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </SettingsSection>
  );
}

function daysPhrase(days: number): string {
  if (days === 0) return 'no grace period';
  return `${days} ${days === 1 ? 'day' : 'days'}`;
}

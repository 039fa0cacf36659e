import { Button, Divider, Group, List, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { InteractionDetails } from '../../api/interactions';
import { IconCheck } from '../../components/icons';
import { InteractionCard, InteractionHeading, InteractionProgress, InteractionStepError } from './interaction-parts';
import { describeScope } from './scope-descriptions';
import { useInteractionStep } from './use-interaction-step';

/**
 * The consent step of a third-party application's sign-in (docs/product: Roster as an OpenID Connect provider): what
 * the application asks for, in plain words, for whom, and **Allow** or **Deny**. An approval is remembered until the
 * person revokes it in Profile settings.
 */
export function ConsentCard({ details }: { details: InteractionDetails }) {
  const step = useInteractionStep(details.uid);
  const appName = details.application.name;
  const leaving = step.isPending || step.isSuccess;

  if (step.isSuccess) {
    return <InteractionProgress label={step.variables === 'abort' ? `Going back to ${appName}…` : `Continuing to ${appName}…`} />;
  }

  return (
    <Stack gap="lg">
      <InteractionHeading title={`Sign in to ${appName}`} description="With your Roster account" />
      <InteractionCard>
        <Stack gap="md">
          {step.isError && step.variables !== undefined && <InteractionStepError action={step.variables} error={step.error} />}
          <Title order={2} fz="lg" style={{ overflowWrap: 'anywhere' }}>
            {appName} wants to
          </Title>
          <List
            spacing="sm"
            aria-label={`What ${appName} asks for`}
            icon={
              <ThemeIcon size={22} radius="xl" variant="light" color="green" aria-hidden="true">
                <IconCheck size={14} />
              </ThemeIcon>
            }
          >
            {details.scopes.map((scope) => (
              <List.Item key={scope}>
                <Text component="span" style={{ overflowWrap: 'anywhere' }}>
                  {describeScope(scope)}
                </Text>
              </List.Item>
            ))}
          </List>
          <Divider />
          {details.account !== null && (
            <Text size="sm">
              Signed in as <strong>{details.account.username}</strong>
            </Text>
          )}
          <Text size="sm" c="dimmed">
            Allowing it is remembered. You can take it back at any time in Profile settings.
          </Text>
          <Group grow gap="sm">
            <Button
              variant="default"
              size="md"
              onClick={() => step.mutate('abort')}
              loading={step.isPending && step.variables === 'abort'}
              disabled={leaving}
            >
              Deny
            </Button>
            <Button
              size="md"
              onClick={() => step.mutate('consent')}
              loading={step.isPending && step.variables === 'consent'}
              disabled={leaving}
            >
              Allow
            </Button>
          </Group>
        </Stack>
      </InteractionCard>
    </Stack>
  );
}

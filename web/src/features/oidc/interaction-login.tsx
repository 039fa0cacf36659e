import { Button, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useRef } from 'react';
import { Link, useNavigate } from 'react-router';
import { isApiError } from '../../api/client';
import type { InteractionDetails } from '../../api/interactions';
import { LoginForm } from '../auth/login-form';
import { CancelSignIn, InteractionCard, InteractionHeading, InteractionProgress, InteractionStepError } from './interaction-parts';
import { interactionPath, stepPathFor } from './interaction-path';
import { useInteractionStep } from './use-interaction-step';

interface InteractionLoginProps {
  details: InteractionDetails;
  /** Reads the sign-in request again: after a login, or when the session turned out to be gone or restricted. */
  reload: () => Promise<unknown>;
}

const restrictedSteps = {
  password_change: {
    title: 'Finish setting your password first',
    explanation: 'You logged in with a temporary password. Choose your own password; then you come back here and continue.',
    action: 'Set your password',
  },
  mfa_setup: {
    title: 'Set up two-factor authentication first',
    explanation:
      'Your organization requires two-factor authentication for your account. Set it up in your profile; then you come back here and continue.',
    action: 'Set up two-factor authentication',
  },
} as const;

/**
 * The login step of an application's sign-in (docs/product: Roster as an OpenID Connect provider): the console session
 * is the provider's session, so a person logged in to Roster goes straight on; a restricted session finishes its step
 * first; anyone else logs in with the console's own login form.
 */
export function InteractionLogin({ details, reload }: InteractionLoginProps) {
  const navigate = useNavigate();
  const step = useInteractionStep(details.uid);
  const answer = step.mutate;
  const appName = details.application.name;
  const signsInNow = details.account !== null && details.restricted === null;

  /** Finishes the login step with the console session; when that session ended or became restricted meanwhile, the
   * request is read again and shows what applies now. */
  const signIn = useCallback(
    () =>
      answer('login', {
        onError: (error) => {
          if (
            isApiError(error, { status: 401 }) ||
            isApiError(error, { code: 'password_change_required' }) ||
            isApiError(error, { code: 'mfa_setup_required' })
          )
            void reload();
        },
      }),
    [answer, reload],
  );

  // Once per answer of the details (a ref: StrictMode runs effects twice, and a second POST would fail).
  const attempted = useRef<InteractionDetails | null>(null);
  useEffect(() => {
    if (!signsInNow || attempted.current === details) return;
    attempted.current = details;
    signIn();
  }, [signsInNow, details, signIn]);

  const leaving = step.isPending || step.isSuccess;
  const cancel = (
    <Stack gap="sm">
      {step.isError && step.variables === 'abort' && <InteractionStepError action="abort" error={step.error} />}
      <CancelSignIn
        onCancel={() => step.mutate('abort')}
        loading={step.isPending && step.variables === 'abort'}
        disabled={leaving && step.variables !== 'abort'}
      />
    </Stack>
  );

  if (step.variables === 'abort' && step.isSuccess) {
    return <InteractionProgress label={`Going back to ${appName}…`} />;
  }

  if (signsInNow && details.account !== null) {
    const failed = step.isError && step.variables === 'login';
    return (
      <Stack gap="lg">
        <InteractionHeading title={`Sign in to ${appName}`} description={`Signed in to Roster as ${details.account.username}`} />
        {failed ? (
          <InteractionCard>
            <Stack gap="md">
              <InteractionStepError action="login" error={step.error} />
              <Button fullWidth size="md" onClick={signIn}>
                Try again
              </Button>
            </Stack>
          </InteractionCard>
        ) : (
          <InteractionProgress label={`Signing you in to ${appName}…`} />
        )}
        {cancel}
      </Stack>
    );
  }

  if (details.restricted !== null) {
    const restricted = restrictedSteps[details.restricted];
    return (
      <Stack gap="lg">
        <InteractionHeading title={restricted.title} description={`Before you continue to ${appName}`} />
        <InteractionCard>
          <Stack gap="md">
            {details.account !== null && (
              <Text>
                Signed in as <strong>{details.account.username}</strong>.
              </Text>
            )}
            <Text>{restricted.explanation}</Text>
            <Button component={Link} to={stepPathFor(details.uid, details.restricted)} fullWidth size="md">
              {restricted.action}
            </Button>
          </Stack>
        </InteractionCard>
        {cancel}
      </Stack>
    );
  }

  return (
    <LoginForm
      title={`Log in to continue to ${appName}`}
      description="With your Roster account"
      onLoggedIn={async ({ mustChangePassword }) => {
        // A temporary password: set a new one first (the form remembered the typed one), then back here.
        if (mustChangePassword) await navigate(stepPathFor(details.uid, 'password_change'));
        else await reload();
      }}
      footer={cancel}
      ssoReturnTo={interactionPath(details.uid)}
    />
  );
}

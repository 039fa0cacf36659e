import { Alert, Button, Divider, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { logIn } from '../../api/auth';
import { isApiError } from '../../api/client';
import type { SecondFactorRequiredResponse } from '../../api/two-factor';
import { logInWithPasskey, webAuthnBrowserMessage } from '../../api/webauthn';
import { IconAlert, IconCheck, IconKey } from '../../components/icons';
import { meQueryOptions } from '../session/me-query';
import { formatWait, loginErrorMessage } from './error-messages';
import { loginMethodsQueryOptions } from './login-methods-query';
import { SecondFactorStep } from './second-factor-step';
import { forgetSignOutReason, signOutMessages, takeSignOutReason } from './sign-out-reason';
import { SsoButtons } from './sso-buttons';
import { ssoErrorMessage } from './sso-messages';
import { rememberTemporaryPassword } from './temporary-password';

/** What a page learns once the login is complete and the session exists. */
export interface CompletedLogin {
  /** A temporary password: the session is restricted until the person sets their own. */
  mustChangePassword: boolean;
}

interface LoginFormProps {
  /** The page's heading (level 1). */
  title: ReactNode;
  /** The line under the heading. */
  description: ReactNode;
  /**
   * Called after every complete login (password, second factor or passkey), once the console has read the caller
   * again. Without it the page re-renders from the fresh caller (the login page moves on by itself).
   */
  onLoggedIn?: (login: CompletedLogin) => void | Promise<void>;
  /** Below the form, e.g. a way back to where the person came from. */
  footer?: ReactNode;
  /**
   * The console path a login through a company identity provider comes back to (`?returnTo=` of its start address):
   * the application's sign-in page, or the page the person wanted; none: the home page.
   */
  ssoReturnTo?: string | undefined;
}

/**
 * The second factors offered when the page opens at the second step (`?step=second-factor`, after a login through an
 * identity provider). The server set the pending-login cookie but there is no call that names the account's methods,
 * and the step needs them: it offers the code field (authenticator app or recovery code) and, where the browser can,
 * **Use a security key**. A person without a key who tries one hears the server's refusal and can type a code instead.
 */
const secondFactorsAfterSso: SecondFactorRequiredResponse['methods'] = ['totp', 'recovery_code', 'webauthn'];

/**
 * The login form of the console (docs/product/console.md#log-in): email or username and password, then the second
 * factor when the account has 2FA, or **Sign in with a passkey**. Shared by `/login` and the sign-in page of an
 * application (`/interaction/:uid`), so that both log in exactly alike.
 */
export function LoginForm({ title, description, onLoggedIn, footer, ssoReturnTo }: LoginFormProps) {
  const queryClient = useQueryClient();
  const [searchParams, setSearchParams] = useSearchParams();
  // Sent back from a company identity provider: why it failed, said in plain words (the code never shown as such).
  const [ssoError] = useState(() => {
    const code = searchParams.get('sso_error');
    return code === null ? null : ssoErrorMessage(code);
  });
  // Said once, like the sign-out reason: a reload of the page does not say it again.
  useEffect(() => {
    if (ssoError === null) return;
    setSearchParams(
      (current) => {
        current.delete('sso_error');
        return current;
      },
      { replace: true },
    );
  }, [ssoError, setSearchParams]);
  const afterSso = searchParams.get('step') === 'second-factor';
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ login?: string; password?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);
  // The wait announced once (an alert that changed every second would be re-read every second), and the countdown
  // that keeps the button disabled until it is over.
  const [announcedWait, setAnnouncedWait] = useState(0);
  const [waitSeconds, setWaitSeconds] = useState(0);
  const passwordRef = useRef<HTMLInputElement>(null);
  // Why we are here, said once: logged out, or a session that ended elsewhere (docs/product/console.md#log-in).
  const [signOutReason] = useState(takeSignOutReason);

  useEffect(() => {
    if (waitSeconds === 0) return;
    const tick = setTimeout(() => setWaitSeconds((seconds) => Math.max(0, seconds - 1)), 1000);
    return () => clearTimeout(tick);
  }, [waitSeconds]);

  /** The session exists: read the caller again (menus, CSRF token), then let the page move on. */
  async function completeLogin(login: CompletedLogin, typedPassword: string | null): Promise<void> {
    forgetSignOutReason();
    if (login.mustChangePassword && typedPassword !== null) rememberTemporaryPassword(typedPassword);
    await queryClient.fetchQuery({ ...meQueryOptions, staleTime: 0 });
    await onLoggedIn?.({ mustChangePassword: login.mustChangePassword });
  }

  // The second step of a login with 2FA (docs/product/console.md#log-in): the methods the account can use.
  const [secondStep, setSecondStep] = useState<SecondFactorRequiredResponse['methods'] | null>(afterSso ? secondFactorsAfterSso : null);

  /** A 429 (too many attempts from here or on this account): wait as the server says, with a countdown instead of an error. */
  function waitAfterRateLimit(error: unknown): boolean {
    if (!isApiError(error, { status: 429 })) return false;
    const wait = error.retryAfterSeconds ?? 60;
    setAnnouncedWait(wait);
    setWaitSeconds(wait);
    setFormError(null);
    return true;
  }

  const mutation = useMutation({
    mutationFn: logIn,
    meta: { expectsUnauthorized: true },
    onSuccess: async (result, variables) => {
      if ('secondFactorRequired' in result) {
        setSecondStep(result.methods);
        setFormError(null);
        return;
      }
      await completeLogin(result, variables.password);
    },
    onError: (error) => {
      if (waitAfterRateLimit(error)) return;
      setFormError(loginErrorMessage(error));
      if (isApiError(error, { code: 'invalid_credentials' })) {
        setPassword('');
        passwordRef.current?.focus();
      }
    },
  });

  // **Sign in with a passkey** (docs/product/security-settings.md#security-keys-and-passkeys): offered when the server
  // has a domain name and the browser can use passkeys.
  const methods = useQuery(loginMethodsQueryOptions);
  const passkeyOffered = methods.data?.passkey === true && typeof window.PublicKeyCredential === 'function';
  const identityProviders = methods.data?.identityProviders ?? [];
  const passwordForOwnersOnly = methods.data?.passwordLogin === 'owners';
  const passkey = useMutation({
    mutationFn: logInWithPasskey,
    meta: { expectsUnauthorized: true },
    onSuccess: async (result) => {
      await completeLogin(result, null);
    },
    onError: (error) => {
      if (waitAfterRateLimit(error)) return;
      setFormError(webAuthnBrowserMessage(error) ?? loginErrorMessage(error));
    },
  });

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const errors: { login?: string; password?: string } = {};
    if (login.trim() === '') errors.login = 'Enter your email or username.';
    if (password === '') errors.password = 'Enter your password.';
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setFormError(null);
    mutation.mutate({ login: login.trim(), password });
  }

  const waiting = waitSeconds > 0;

  if (secondStep !== null) {
    return (
      <SecondFactorStep
        methods={secondStep}
        onComplete={(result) => completeLogin(result, afterSso ? null : password)}
        onRestart={(message) => {
          setSecondStep(null);
          setPassword('');
          setFormError(message);
          // Back at the first step: a reload must not open the second one again.
          if (afterSso)
            setSearchParams(
              (current) => {
                current.delete('step');
                return current;
              },
              { replace: true },
            );
        }}
        {...(afterSso
          ? {
              description: 'Your identity provider confirmed who you are. Now confirm it with your second factor.',
              backLabel: 'Back to the login',
            }
          : {})}
      />
    );
  }

  return (
    <Stack gap="lg">
      <Stack gap={4} ta="center">
        <Title order={1} fz={28} style={{ overflowWrap: 'anywhere', textWrap: 'balance' }}>
          {title}
        </Title>
        <Text c="dimmed">{description}</Text>
      </Stack>
      <Paper withBorder shadow="xs" p={{ base: 'lg', sm: 'xl' }} radius="md" bg="white">
        {ssoError !== null && (
          <Alert color="red" variant="light" icon={<IconAlert />} title="Could not log in" mb="md" data-sso-error="">
            {ssoError}
          </Alert>
        )}
        {identityProviders.length > 0 && (
          <Stack gap="md" mb="md">
            <SsoButtons providers={identityProviders} returnTo={ssoReturnTo} />
            <Divider label="or" labelPosition="center" />
          </Stack>
        )}
        <form onSubmit={submit} noValidate aria-label="Log in">
          <Stack gap="md">
            {passwordForOwnersOnly && (
              <Text size="sm" c="dimmed" data-password-owners-only="">
                Password login is for Owners only.
              </Text>
            )}
            {signOutReason !== null && formError === null && !waiting && (
              <Alert
                color={signOutReason === 'logged-out' ? 'green' : 'orange'}
                variant="light"
                icon={signOutReason === 'logged-out' ? <IconCheck /> : <IconAlert />}
                title={signOutMessages[signOutReason].title}
                role="status"
              >
                {signOutMessages[signOutReason].message}
              </Alert>
            )}
            {formError !== null && (
              <Alert color="red" variant="light" icon={<IconAlert />} title="Could not log in">
                {formError}
              </Alert>
            )}
            {waiting && (
              <Alert color="orange" variant="light" icon={<IconAlert />} title="Too many attempts">
                Too many failed logins. Try again in {formatWait(announcedWait)}.
              </Alert>
            )}
            <TextInput
              label="Email or username"
              name="login"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              autoFocus
              required
              withAsterisk={false}
              value={login}
              onChange={(event) => setLogin(event.currentTarget.value)}
              error={fieldErrors.login}
            />
            <PasswordInput
              ref={passwordRef}
              label="Password"
              name="password"
              autoComplete="current-password"
              required
              withAsterisk={false}
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
              error={fieldErrors.password}
              visibilityToggleButtonProps={{ 'aria-label': 'Show password' }}
            />
            <Button type="submit" fullWidth size="md" loading={mutation.isPending} disabled={waiting || passkey.isPending}>
              Log in
            </Button>
          </Stack>
        </form>
        {passkeyOffered && (
          <Stack gap="md" mt="md">
            <Divider label="or" labelPosition="center" />
            <Button
              variant="default"
              fullWidth
              size="md"
              leftSection={<IconKey />}
              loading={passkey.isPending}
              disabled={waiting || mutation.isPending}
              onClick={() => {
                setFormError(null);
                passkey.mutate();
              }}
            >
              Sign in with a passkey
            </Button>
          </Stack>
        )}
      </Paper>
      <Text size="sm" c="dimmed" ta="center">
        Forgot your password? An Owner or Admin of this server can give you a temporary one.
      </Text>
      {footer}
    </Stack>
  );
}

import { Checkbox, Fieldset, PasswordInput, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import {
  type CreateIdentityProviderBody,
  defaultEmailClaim,
  defaultGroupsClaim,
  defaultIdentityProviderScopes,
  defaultUsernameClaim,
  type IdentityProvider,
  maxIdentityProviderLabelLength,
} from '../../api/identity-providers';
import { fieldError, listFieldError } from '../../api/problem-fields';
import { FormFooter } from '../../components/form-footer';
import { GroupMappingsField, type MappingRow, mappingRow } from './group-mappings-field';
import { TestConnection } from './test-connection';

/**
 * What the form holds, in the API's terms. `clientSecret` null: keep the stored one (editing with the field left
 * empty); registering always has one.
 */
export type IdentityProviderFormValues = Omit<CreateIdentityProviderBody, 'clientSecret'> & { clientSecret: string | null };

interface IdentityProviderFormProps {
  /** The provider being edited; absent when registering a new one. */
  provider?: IdentityProvider;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: IdentityProviderFormValues) => void;
  onCancel: () => void;
}

type Field = 'label' | 'issuer' | 'clientId' | 'clientSecret' | 'scopes' | 'usernameClaim' | 'emailClaim' | 'groupsClaim' | 'groupMappings';

/** The words of a space-separated list. */
function words(text: string): string[] {
  return text.split(/\s+/).filter((word) => word !== '');
}

/**
 * Register identity provider and Edit (docs/sso.md, "Registering a provider"): every field of the API, the client
 * secret write-only (editing: a new one replaces it, an empty field keeps it), the group mappings, and **Test
 * connection** with the issuer as typed.
 */
export function IdentityProviderForm({ provider, submitLabel, pending, error, onSubmit, onCancel }: IdentityProviderFormProps) {
  const [label, setLabel] = useState(provider?.label ?? '');
  const [issuer, setIssuer] = useState(provider?.issuer ?? '');
  const [clientId, setClientId] = useState(provider?.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [scopes, setScopes] = useState((provider?.scopes ?? defaultIdentityProviderScopes).join(' '));
  const [usernameClaim, setUsernameClaim] = useState(provider?.usernameClaim ?? defaultUsernameClaim);
  const [emailClaim, setEmailClaim] = useState(provider?.emailClaim ?? defaultEmailClaim);
  const [groupsClaim, setGroupsClaim] = useState(provider?.groupsClaim ?? defaultGroupsClaim);
  const [createUnknown, setCreateUnknown] = useState(provider?.createUnknown ?? false);
  const [linkVerifiedEmail, setLinkVerifiedEmail] = useState(provider?.linkVerifiedEmail ?? false);
  const [enforces2fa, setEnforces2fa] = useState(provider?.enforces2fa ?? false);
  const [mappings, setMappings] = useState<MappingRow[]>(
    () => provider?.groupMappings.map((mapping) => mappingRow(mapping.value, mapping.group)) ?? [],
  );
  // Local checks, and the server's field errors until the field changes.
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [seenError, setSeenError] = useState<unknown>(null);
  if (error !== seenError) {
    setSeenError(error);
    if (error)
      setErrors({
        label: fieldError(error, 'label', ['label_taken']),
        issuer: fieldError(error, 'issuer'),
        clientId: fieldError(error, 'clientId'),
        clientSecret: fieldError(error, 'clientSecret'),
        scopes: listFieldError(error, 'scopes'),
        usernameClaim: fieldError(error, 'usernameClaim'),
        emailClaim: fieldError(error, 'emailClaim'),
        groupsClaim: fieldError(error, 'groupsClaim'),
        groupMappings: listFieldError(error, 'groupMappings'),
      });
  }
  const clear = (field: Field) => setErrors((current) => ({ ...current, [field]: undefined }));
  const shownAtAField = Object.values(errors).some((message) => message !== undefined);
  const trimmedIssuer = issuer.trim();

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const found: typeof errors = {};
    if (label.trim() === '') found.label = 'Enter the label of the login button.';
    if (trimmedIssuer === '') found.issuer = 'Enter the issuer of the provider.';
    if (clientId.trim() === '') found.clientId = 'Enter the client ID Roster has at the provider.';
    if (provider === undefined && clientSecret === '') found.clientSecret = 'Enter the client secret Roster has at the provider.';
    if (!words(scopes).includes('openid')) found.scopes = 'The scopes must include openid.';
    if (usernameClaim.trim() === '') found.usernameClaim = 'Enter a claim name.';
    if (emailClaim.trim() === '') found.emailClaim = 'Enter a claim name.';
    if (groupsClaim.trim() === '') found.groupsClaim = 'Enter a claim name.';
    const checkedMappings = mappings.map((row) => ({
      ...row,
      valueError: row.value.trim() === '' ? 'Enter the value of the groups claim.' : undefined,
      groupError: row.group === null ? 'Pick the Roster group.' : undefined,
    }));
    const mappingsIncomplete = checkedMappings.some((row) => row.valueError !== undefined || row.groupError !== undefined);
    setMappings(checkedMappings);
    setErrors(found);
    if (Object.keys(found).length > 0 || mappingsIncomplete) return;
    onSubmit({
      label: label.trim(),
      issuer: trimmedIssuer,
      clientId: clientId.trim(),
      clientSecret: clientSecret === '' ? null : clientSecret,
      scopes: words(scopes),
      usernameClaim: usernameClaim.trim(),
      emailClaim: emailClaim.trim(),
      groupsClaim: groupsClaim.trim(),
      createUnknown,
      linkVerifiedEmail,
      enforces2fa,
      groupMappings: mappings.flatMap((row) => (row.group === null ? [] : [{ value: row.value.trim(), groupId: row.group.id }])),
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-label={submitLabel}>
      <Stack gap="md">
        <TextInput
          label="Label"
          description="The login page shows “Log in with <label>”."
          placeholder="Company SSO"
          autoComplete="off"
          maxLength={maxIdentityProviderLabelLength}
          value={label}
          onChange={(event) => {
            setLabel(event.currentTarget.value);
            clear('label');
          }}
          error={errors.label}
          data-autofocus
          required
        />
        <Stack gap="xs">
          <TextInput
            label="Issuer"
            description="The provider's issuer, as its discovery document names it: https (http only on localhost)."
            placeholder="https://login.example.com/realms/company"
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="none"
            value={issuer}
            onChange={(event) => {
              setIssuer(event.currentTarget.value);
              clear('issuer');
            }}
            error={errors.issuer}
            required
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
          <TestConnection
            issuer={trimmedIssuer}
            target={() => {
              if (trimmedIssuer === '') {
                setErrors((current) => ({ ...current, issuer: 'Enter the issuer to test.' }));
                return null;
              }
              return { issuer: trimmedIssuer };
            }}
          />
        </Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <TextInput
            label="Client ID"
            description="The client Roster has at the provider."
            autoComplete="off"
            spellCheck={false}
            value={clientId}
            onChange={(event) => {
              setClientId(event.currentTarget.value);
              clear('clientId');
            }}
            error={errors.clientId}
            required
          />
          <PasswordInput
            label={provider ? 'Replace client secret' : 'Client secret'}
            description={provider ? 'Leave empty to keep the stored secret.' : 'Stored encrypted; never shown again.'}
            autoComplete="new-password"
            value={clientSecret}
            onChange={(event) => {
              setClientSecret(event.currentTarget.value);
              clear('clientSecret');
            }}
            error={errors.clientSecret}
            required={provider === undefined}
            visibilityToggleButtonProps={{ 'aria-label': 'Show client secret' }}
          />
        </SimpleGrid>
        <TextInput
          label="Scopes"
          description="Separated by spaces; must include openid."
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="none"
          value={scopes}
          onChange={(event) => {
            setScopes(event.currentTarget.value);
            clear('scopes');
          }}
          error={errors.scopes}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <Fieldset legend="Claims" variant="filled" radius="md">
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
            <TextInput
              label="Username claim"
              description="Without it, from the email."
              spellCheck={false}
              autoCapitalize="none"
              value={usernameClaim}
              onChange={(event) => {
                setUsernameClaim(event.currentTarget.value);
                clear('usernameClaim');
              }}
              error={errors.usernameClaim}
            />
            <TextInput
              label="Email claim"
              description="Linking trusts it only when verified."
              spellCheck={false}
              autoCapitalize="none"
              value={emailClaim}
              onChange={(event) => {
                setEmailClaim(event.currentTarget.value);
                clear('emailClaim');
              }}
              error={errors.emailClaim}
            />
            <TextInput
              label="Groups claim"
              description="The values the mappings read."
              spellCheck={false}
              autoCapitalize="none"
              value={groupsClaim}
              onChange={(event) => {
                setGroupsClaim(event.currentTarget.value);
                clear('groupsClaim');
              }}
              error={errors.groupsClaim}
            />
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend="People" variant="filled" radius="md">
          <Stack gap="sm">
            <Checkbox
              label="Create people at their first login"
              description="As Members. Otherwise someone without a Roster account is refused."
              checked={createUnknown}
              onChange={(event) => setCreateUnknown(event.currentTarget.checked)}
            />
            <Checkbox
              label="Link accounts with a verified email"
              description="Only a Member without 2FA whose email the provider asserts as verified; Owners, Admins and people with 2FA link from their profile."
              checked={linkVerifiedEmail}
              onChange={(event) => setLinkVerifiedEmail(event.currentTarget.checked)}
            />
            <Checkbox
              label="Enforces its own 2FA"
              description="Its second factor (the amr claim) counts for Roster's 2FA policy; it never replaces factors a person set up in Roster."
              checked={enforces2fa}
              onChange={(event) => setEnforces2fa(event.currentTarget.checked)}
            />
          </Stack>
        </Fieldset>
        <GroupMappingsField
          rows={mappings}
          onChange={(rows) => {
            setMappings(rows);
            clear('groupMappings');
          }}
          groupsClaim={groupsClaim.trim() || defaultGroupsClaim}
          error={errors.groupMappings}
        />
        <FormFooter
          error={error}
          shownAtAField={shownAtAField}
          errorTitle="Could not save the identity provider"
          submitLabel={submitLabel}
          pending={pending}
          onCancel={onCancel}
        />
      </Stack>
    </form>
  );
}

import { Checkbox, Fieldset, MultiSelect, Radio, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { Application, ApplicationType } from '../../api/applications';
import { listGroups } from '../../api/groups';
import { fieldError, listFieldError } from '../../api/problem-fields';
import { FormFooter } from '../../components/form-footer';

interface GroupRef {
  id: string;
  name: string;
}

/** What the form holds, in the API's terms; `allowedGroups` null: everyone may sign in. */
export interface ApplicationFormValues {
  name: string;
  type: ApplicationType;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  allowedGroups: GroupRef[] | null;
  firstParty: boolean;
  authorizeApi: boolean;
  rosterApi: boolean;
}

interface ApplicationFormProps {
  /** The application being edited; absent when registering a new one. */
  application?: Application;
  submitLabel: string;
  /** Whether the caller may set the trust options (from the server: `trustApplications`, or the application's `trust`). */
  mayTrust: boolean;
  pending: boolean;
  error: unknown;
  onSubmit: (values: ApplicationFormValues) => void;
  onCancel: () => void;
}

const typeChoices: { value: ApplicationType; label: string; description: string }[] = [
  { value: 'confidential', label: 'Confidential', description: 'A server-side application that keeps a client secret.' },
  { value: 'public', label: 'Public', description: 'A single-page or native application that cannot keep a secret: PKCE only.' },
];

/** The lines of a textarea that hold something, trimmed. */
function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/**
 * Register application and Edit (docs/product/console.md#applications): name, type, redirect URIs, who may sign in,
 * and the trust options, which only callers the server lets trust applications (Owners) may change.
 */
export function ApplicationForm({ application, submitLabel, mayTrust, pending, error, onSubmit, onCancel }: ApplicationFormProps) {
  const [name, setName] = useState(application?.name ?? '');
  const [type, setType] = useState<ApplicationType>(application?.type ?? 'confidential');
  const [redirectText, setRedirectText] = useState(application?.redirectUris.join('\n') ?? '');
  const [logoutText, setLogoutText] = useState(application?.postLogoutRedirectUris.join('\n') ?? '');
  const [access, setAccess] = useState<'everyone' | 'groups'>(application?.allowedGroups ? 'groups' : 'everyone');
  const [groups, setGroups] = useState<GroupRef[]>(application?.allowedGroups ?? []);
  const [firstParty, setFirstParty] = useState(application?.firstParty ?? false);
  const [authorizeApi, setAuthorizeApi] = useState(application?.authorizeApi ?? false);
  const [rosterApi, setRosterApi] = useState(application?.rosterApi ?? false);
  // Local checks, and the server's field errors until the field changes.
  const [errors, setErrors] = useState<Partial<Record<'name' | 'redirectUris' | 'postLogoutRedirectUris' | 'groups', string>>>({});
  const [seenError, setSeenError] = useState<unknown>(null);
  if (error !== seenError) {
    setSeenError(error);
    if (error)
      setErrors({
        name: fieldError(error, 'name', ['name_taken']),
        redirectUris: listFieldError(error, 'redirectUris'),
        postLogoutRedirectUris: listFieldError(error, 'postLogoutRedirectUris'),
        groups: listFieldError(error, 'allowedGroupIds'),
      });
  }
  const clear = (field: keyof typeof errors) => setErrors((current) => ({ ...current, [field]: undefined }));
  const shownAtAField = Object.values(errors).some((message) => message !== undefined);

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const found: typeof errors = {};
    if (name.trim() === '') found.name = 'Enter a name.';
    if (lines(redirectText).length === 0) found.redirectUris = 'Enter at least one redirect URI.';
    if (access === 'groups' && groups.length === 0) found.groups = 'Pick at least one group, or let everyone sign in.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    onSubmit({
      name: name.trim(),
      type,
      redirectUris: lines(redirectText),
      postLogoutRedirectUris: lines(logoutText),
      allowedGroups: access === 'everyone' ? null : groups,
      firstParty,
      authorizeApi: type === 'confidential' && authorizeApi,
      rosterApi,
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-label={submitLabel}>
      <Stack gap="md">
        <TextInput
          label="Name"
          description="Shown to people when they sign in to it and on their profile."
          placeholder="CI server"
          autoComplete="off"
          value={name}
          onChange={(event) => {
            setName(event.currentTarget.value);
            clear('name');
          }}
          error={errors.name}
          data-autofocus
          required
        />
        {application ? (
          <div>
            <Text fw={500} fz="sm">
              Type
            </Text>
            <Text fz="sm" c="dimmed">
              {typeChoices.find((choice) => choice.value === application.type)?.label}: the type cannot be changed after registration.
            </Text>
          </div>
        ) : (
          <Radio.Group label="Type" value={type} onChange={(value) => setType(value === 'public' ? 'public' : 'confidential')} required>
            <Stack gap={8} mt="xs">
              {typeChoices.map((choice) => (
                <Radio key={choice.value} value={choice.value} label={choice.label} description={choice.description} />
              ))}
            </Stack>
          </Radio.Group>
        )}
        <Textarea
          label="Redirect URIs"
          description="One per line; exact match; https, or http on localhost."
          placeholder="https://ci.example.com/oauth/callback"
          autosize
          minRows={2}
          maxRows={8}
          spellCheck={false}
          autoCapitalize="none"
          value={redirectText}
          onChange={(event) => {
            setRedirectText(event.currentTarget.value);
            clear('redirectUris');
          }}
          error={errors.redirectUris}
          required
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <Textarea
          label="Post-logout redirect URIs"
          description="Optional, one per line: where the application may send people after they log out."
          placeholder="https://ci.example.com/"
          autosize
          minRows={1}
          maxRows={6}
          spellCheck={false}
          autoCapitalize="none"
          value={logoutText}
          onChange={(event) => {
            setLogoutText(event.currentTarget.value);
            clear('postLogoutRedirectUris');
          }}
          error={errors.postLogoutRedirectUris}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <Radio.Group
          label="Who may sign in"
          value={access}
          onChange={(value) => {
            setAccess(value === 'groups' ? 'groups' : 'everyone');
            clear('groups');
          }}
        >
          <Stack gap={8} mt="xs">
            <Radio value="everyone" label="Everyone on this server" />
            <Radio value="groups" label="Members of these groups" />
          </Stack>
        </Radio.Group>
        {access === 'groups' && (
          <GroupsField
            value={groups}
            onChange={(picked) => {
              setGroups(picked);
              clear('groups');
            }}
            error={errors.groups}
          />
        )}
        <Fieldset legend="Trust" variant="filled" radius="md">
          <Stack gap="sm">
            {!mayTrust && (
              <Text fz="sm" c="dimmed" data-trust-note="">
                Only Owners can make an application first-party, let it ask the authorization API about anyone, or let it use Roster's API
                as the person.
              </Text>
            )}
            <Checkbox
              label="First-party"
              description="People are not asked for consent: for the platform's own tools."
              checked={firstParty}
              onChange={(event) => setFirstParty(event.currentTarget.checked)}
              disabled={!mayTrust}
            />
            <Checkbox
              label="May ask the authorization API about anyone"
              description={
                type === 'public'
                  ? 'Confidential applications only: it signs in with its own client secret.'
                  : 'With its own client secret, it may ask what any person may do.'
              }
              checked={type === 'confidential' && authorizeApi}
              onChange={(event) => setAuthorizeApi(event.currentTarget.checked)}
              disabled={!mayTrust || type === 'public'}
            />
            <Checkbox
              label="May use Roster's API as the person"
              description="It may ask for the roster:api scope, whose tokens Roster's own API accepts."
              checked={rosterApi}
              onChange={(event) => setRosterApi(event.currentTarget.checked)}
              disabled={!mayTrust}
            />
          </Stack>
        </Fieldset>
        <FormFooter
          error={error}
          shownAtAField={shownAtAField}
          errorTitle="Could not save the application"
          submitLabel={submitLabel}
          pending={pending}
          onCancel={onCancel}
        />
      </Stack>
    </form>
  );
}

/** Groups picked by typing part of their name; the server does the matching. */
function GroupsField({ value, onChange, error }: { value: GroupRef[]; onChange: (groups: GroupRef[]) => void; error: string | undefined }) {
  const [search, setSearch] = useState('');
  const [term] = useDebouncedValue(search.trim(), 250);
  const results = useQuery({
    queryKey: ['groups', 'search', term],
    queryFn: ({ signal }) => listGroups({ query: term, limit: 20 }, signal),
    placeholderData: keepPreviousData,
  });
  const found = (results.data?.items ?? []).map((group) => ({ id: group.id, name: group.name }));
  const known = [...value, ...found.filter((group) => !value.some((picked) => picked.id === group.id))];
  return (
    <MultiSelect
      label="Groups"
      description="Members of any of these groups may sign in; leaving the groups signs them out of it."
      placeholder={value.length === 0 ? 'Search groups' : undefined}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      data={known.map((group) => ({ value: group.id, label: group.name }))}
      value={value.map((group) => group.id)}
      onChange={(ids) => onChange(ids.flatMap((id) => known.filter((group) => group.id === id)))}
      nothingFoundMessage={results.isFetching ? 'Searching…' : results.isError ? 'Could not search groups' : 'No group matches'}
      error={error}
      comboboxProps={{ withinPortal: true }}
      hidePickedOptions
      required
    />
  );
}

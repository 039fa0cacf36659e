import { ActionIcon, Alert, Button, Collapse, FileButton, Group, List, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../../api/client';
import { IconAlert, IconX } from '../../components/icons';
import { RoleBadge } from '../../components/role-badge';
import {
  type AccountRow,
  emailProblem,
  emptyRow,
  isFilled,
  maxAccountsPerRequest,
  parseAccountList,
  withTrailingEmptyRow,
} from './account-rows';

interface AddPeopleFormProps {
  onSubmit: (rows: AccountRow[]) => void;
  onCancel: () => void;
  submitting: boolean;
  error: unknown;
}

/** The rows of email and username, plus "Paste a list" and CSV upload, with invalid emails flagged before sending. */
export function AddPeopleForm({ onSubmit, onCancel, submitting, error }: AddPeopleFormProps) {
  const [rows, setRows] = useState<AccountRow[]>(() => [emptyRow()]);
  const [touched, setTouched] = useState<ReadonlySet<number>>(new Set());
  const [pasteOpen, setPasteOpen] = useState(false);
  const [pasted, setPasted] = useState('');
  const [listNotes, setListNotes] = useState<string[]>([]);

  const filled = rows.filter(isFilled);
  const problems = new Map(rows.map((row) => [row.key, emailProblem(row, rows)]));
  const invalidCount = [...problems.values()].filter((problem) => problem !== null).length;
  const shownInvalid = rows.filter((row) => touched.has(row.key) && problems.get(row.key)).length;
  const tooMany = filled.length > maxAccountsPerRequest;
  const canSubmit = filled.length > 0 && invalidCount === 0 && !tooMany && !submitting;

  function update(key: number, change: Partial<AccountRow>): void {
    setRows((current) => withTrailingEmptyRow(current.map((row) => (row.key === key ? { ...row, ...change } : row))));
  }

  function removeRow(key: number): void {
    setRows((current) => withTrailingEmptyRow(current.filter((row) => row.key !== key)));
  }

  async function addList(text: string, source: string): Promise<void> {
    const parsed = await parseAccountList(text);
    setRows((current) => withTrailingEmptyRow([...current.filter(isFilled), ...parsed.rows]));
    setTouched((current) => new Set([...current, ...parsed.rows.map((row) => row.key)]));
    const added = parsed.rows.length === 1 ? '1 row' : `${parsed.rows.length} rows`;
    setListNotes([...(parsed.rows.length > 0 ? [`Added ${added} from ${source}.`] : []), ...parsed.problems]);
  }

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    setTouched(new Set(rows.map((row) => row.key)));
    if (canSubmit) onSubmit(filled);
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Add people">
      <Stack gap="sm">
        <Text fw={600} id="add-people-rows">
          Email addresses and usernames
        </Text>
        <Text fz="sm" c="dimmed" mt={-8}>
          Each new account gets the Member role and a temporary password. Without a username, one is made from the email.
        </Text>
        <Stack gap="xs" role="group" aria-labelledby="add-people-rows">
          {rows.map((row, index) => {
            const problem = touched.has(row.key) ? (problems.get(row.key) ?? null) : null;
            const last = index === rows.length - 1;
            return (
              // Wraps on a phone (username under the email) instead of cutting the placeholders (issue 17 item 6).
              <Group key={row.key} gap="xs" align="flex-start" wrap="wrap">
                <TextInput
                  aria-label={`Email address, row ${index + 1}`}
                  placeholder="Enter email address"
                  type="email"
                  autoComplete="off"
                  value={row.email}
                  onChange={(event) => update(row.key, { email: event.currentTarget.value })}
                  onBlur={() => isFilled(row) && setTouched((current) => new Set(current).add(row.key))}
                  error={problem}
                  data-autofocus={index === 0 ? true : undefined}
                  style={{ flex: '3 1 220px', minWidth: 0 }}
                />
                <TextInput
                  aria-label={`Username (optional), row ${index + 1}`}
                  placeholder="Username (optional)"
                  autoComplete="off"
                  value={row.username}
                  onChange={(event) => update(row.key, { username: event.currentTarget.value })}
                  rightSection={row.role ? <RoleBadge role={row.role} size="xs" /> : undefined}
                  rightSectionWidth={row.role ? 64 : undefined}
                  style={{ flex: '2 1 150px', minWidth: 0 }}
                />
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size={36}
                  onClick={() => removeRow(row.key)}
                  aria-label={`Remove row ${index + 1}`}
                  disabled={last}
                  style={last ? { visibility: 'hidden' } : undefined}
                >
                  <IconX size={16} />
                </ActionIcon>
              </Group>
            );
          })}
        </Stack>

        <Group gap="xs">
          <Button variant="subtle" size="compact-sm" onClick={() => setPasteOpen((open) => !open)} aria-expanded={pasteOpen}>
            Paste a list
          </Button>
          <FileButton
            onChange={(file) => file && void file.text().then((text) => addList(text, file.name))}
            accept=".csv,text/csv,text/plain"
          >
            {(props) => (
              <Button {...props} variant="subtle" size="compact-sm">
                Upload CSV
              </Button>
            )}
          </FileButton>
        </Group>
        <Collapse in={pasteOpen}>
          <Stack gap="xs">
            <Textarea
              label="Paste a list"
              description="One email address per line, or CSV lines: email,username,role"
              autosize
              minRows={3}
              maxRows={10}
              value={pasted}
              onChange={(event) => setPasted(event.currentTarget.value)}
            />
            <Group justify="flex-end">
              <Button
                variant="default"
                size="xs"
                disabled={pasted.trim() === ''}
                onClick={() => void addList(pasted, 'the pasted list').then(() => setPasted(''))}
              >
                Add to the list
              </Button>
            </Group>
          </Stack>
        </Collapse>
        {listNotes.length > 0 && (
          <List size="sm" c="dimmed" role="status">
            {listNotes.map((note) => (
              <List.Item key={note}>{note}</List.Item>
            ))}
          </List>
        )}

        {tooMany && (
          <Alert color="red" variant="light" icon={<IconAlert />}>
            At most {maxAccountsPerRequest} accounts at once: this list has {filled.length}.
          </Alert>
        )}
        {error !== null && error !== undefined && (
          <Alert color="red" variant="light" icon={<IconAlert />} title="Could not create the accounts">
            {isApiError(error) ? error.detail : 'Something went wrong. Please try again.'}
          </Alert>
        )}
        <Group justify="space-between" mt="sm" wrap="wrap-reverse" gap="sm">
          <Text fz="sm" c={shownInvalid > 0 ? 'var(--mantine-color-error)' : 'dimmed'} role="status">
            {shownInvalid > 0
              ? `Fix ${shownInvalid === 1 ? 'the highlighted address' : `the ${shownInvalid} highlighted addresses`} to continue.`
              : invalidCount > 0
                ? 'Finish the email address to continue.'
                : filled.length === 0
                  ? 'Type at least one email address.'
                  : `${filled.length} ${filled.length === 1 ? 'account' : 'accounts'} to create.`}
          </Text>
          <Group gap="sm">
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
            <Button type="submit" disabled={!canSubmit} loading={submitting}>
              Create Accounts
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

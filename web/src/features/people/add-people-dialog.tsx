import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { type AccountResult, createAccounts } from '../../api/people';
import { Dialog } from '../../components/dialog';
import type { AccountRow } from './account-rows';
import { AddPeopleForm } from './add-people-form';
import { AddPeopleResult } from './add-people-result';
import { useRefreshPeople } from './people-queries';

/** Add people (docs/product/console.md#people): rows of email and optional username → accounts with temporary passwords, shown once. */
export function AddPeopleDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [results, setResults] = useState<{ rows: AccountRow[]; results: AccountResult[] } | null>(null);
  const refreshPeople = useRefreshPeople();
  const create = useMutation({
    mutationFn: (rows: AccountRow[]) =>
      createAccounts({
        accounts: rows.map((row) => ({
          email: row.email.trim(),
          ...(row.username.trim() === '' ? {} : { username: row.username.trim() }),
          ...(row.role ? { role: row.role } : {}),
        })),
      }),
    onSuccess: (response, rows) => {
      setResults({ rows, results: response.results });
      void refreshPeople();
    },
  });

  function close(): void {
    setResults(null);
    create.reset();
    onClose();
  }

  return (
    <Dialog opened={opened} onClose={close} title="Add people" size="lg" closeOnClickOutside={results === null}>
      {results === null ? (
        <AddPeopleForm onSubmit={(rows) => create.mutate(rows)} submitting={create.isPending} error={create.error} onCancel={close} />
      ) : (
        <AddPeopleResult rows={results.rows} results={results.results} onDone={close} />
      )}
    </Dialog>
  );
}

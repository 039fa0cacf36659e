import { Alert, Button, Group } from '@mantine/core';
import { errorDetail } from '../api/problem-fields';
import { IconAlert } from './icons';

interface FormFooterProps {
  /** The failure of the last submit; shown here only when no field shows it (`shownAtAField`). */
  error: unknown;
  shownAtAField: boolean;
  /** The alert's title, e.g. "Could not save the application". */
  errorTitle: string;
  submitLabel: string;
  pending: boolean;
  onCancel: () => void;
}

/** The end of a dialog's form: the error no field took, then Cancel and the submit button. */
export function FormFooter({ error, shownAtAField, errorTitle, submitLabel, pending, onCancel }: FormFooterProps) {
  return (
    <>
      {error !== null && error !== undefined && !shownAtAField && (
        <Alert color="red" variant="light" icon={<IconAlert />} title={errorTitle}>
          {errorDetail(error)}
        </Alert>
      )}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" loading={pending}>
          {submitLabel}
        </Button>
      </Group>
    </>
  );
}

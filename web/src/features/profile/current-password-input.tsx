import { PasswordInput } from '@mantine/core';
import type { Ref } from 'react';

interface CurrentPasswordInputProps {
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  inputRef?: Ref<HTMLInputElement>;
  autoFocus?: boolean;
}

/** "Current password": every sensitive change of one's own account asks for it (docs/product/security-settings.md#api-tokens). */
export function CurrentPasswordInput({ value, onChange, error, inputRef, autoFocus }: CurrentPasswordInputProps) {
  return (
    <PasswordInput
      ref={inputRef}
      label="Current password"
      name="current-password"
      autoComplete="current-password"
      required
      withAsterisk={false}
      data-autofocus={autoFocus ? true : undefined}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      error={error}
      visibilityToggleButtonProps={{ 'aria-label': 'Show password' }}
    />
  );
}

/** The message for a wrong (or missing) current password. */
export const wrongCurrentPassword = 'This is not your current password.';

import { isApiError } from './client';

/**
 * The message the server attached to one field of a problem (`errors: [{ field: '/username', message }]`), or, when
 * the problem has one of `codes`, its detail: so that e.g. `username_taken` shows next to the Screen name field.
 */
export function fieldError(error: unknown, field: string, codes: readonly string[] = []): string | undefined {
  if (!isApiError(error)) return undefined;
  const pointer = `/${field}`;
  const match = error.errors?.find((entry) => entry.field === pointer || entry.field === field);
  if (match) return match.message;
  if (codes.includes(error.code)) return error.detail || error.title;
  return undefined;
}

/** The server's explanation of any error, for an alert. */
export function errorDetail(error: unknown): string {
  if (isApiError(error)) return error.detail || error.title;
  return error instanceof Error ? error.message : 'Something went wrong. Please try again.';
}

/** The server's messages about a list field and its entries (`/redirectUris`, `/redirectUris/0`), joined. */
export function listFieldError(error: unknown, field: string): string | undefined {
  if (!isApiError(error) || !error.errors) return undefined;
  const messages = error.errors
    .filter((entry) => entry.field === `/${field}` || entry.field.startsWith(`/${field}/`))
    .map((entry) => entry.message);
  return messages.length > 0 ? [...new Set(messages)].join(' ') : undefined;
}

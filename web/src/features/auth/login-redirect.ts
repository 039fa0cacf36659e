import type { Location } from 'react-router';

/** The /login address that brings the user back to `location` once they have logged in. */
export function loginPathFor(location: Pick<Location, 'pathname' | 'search' | 'hash'>): string {
  const intended = `${location.pathname}${location.search}${location.hash}`;
  if (intended === '/' || location.pathname === '/login') return '/login';
  return `/login?next=${encodeURIComponent(intended)}`;
}

/**
 * The in-console path to go to after login. Only same-origin paths are accepted (no `//host` or `/\host`),
 * so that a crafted link cannot send a freshly logged-in user to another site.
 */
export function safeNextPath(raw: string | null): string {
  if (raw === null || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  if (raw === '/login' || raw.startsWith('/login?') || raw.startsWith('/login#')) return '/';
  return raw;
}

import { queryOptions } from '@tanstack/react-query';
import { fetchLoginMethods } from '../../api/webauthn';

/**
 * How this server lets people log in (passkeys, company identity providers, password for whom): read once, for the
 * login page and for Profile → Linked accounts, which offers the same providers.
 */
export const loginMethodsQueryOptions = queryOptions({
  queryKey: ['login-methods'],
  queryFn: ({ signal }) => fetchLoginMethods(signal),
  staleTime: Number.POSITIVE_INFINITY,
});

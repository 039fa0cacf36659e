// How Roster's own clients call the REST API (docs/decisions/0020). The console (web/src/api/client.ts) and the CLI
// (src/cli/client/api-client.ts) each build one openapi-fetch client over `ApiPaths`: the `paths` that openapi-typescript
// generates from the OpenAPI document (`npm run openapi:types`, src/shared/api/generated/openapi.ts, not committed),
// keyed by their path below `/api/v1`. A wrong path, parameter, body or answer type at a call site is a compile error.
// Each client's middleware turns every non-2xx answer into its own ApiError, so a call that resolves succeeded; the two
// readers below take its body.
import type { paths } from './generated/openapi.js';

/** The API's operations by path below `/api/v1` (`/healthz` and `/readyz` are outside it and not here). */
export type ApiPaths = {
  [Path in keyof paths as Path extends `/api/v1${infer Below}` ? Below : never]: paths[Path];
};

/** The parsed body of a successful call. */
export async function dataOf<Answer extends { data?: unknown; response: Response }>(
  call: Promise<Answer>,
): Promise<Exclude<Answer['data'], undefined>> {
  const { data, response } = await call;
  // Only an answer the document does not describe (a 2xx without a body) gets here without data.
  if (data === undefined) throw new Error(`The server answered ${response.status} without the expected body.`);
  return data as Exclude<Answer['data'], undefined>;
}

/** Waits for a call whose success has no body (204). */
export async function completed(call: Promise<{ data?: undefined; response: Response }>): Promise<void> {
  await call;
}

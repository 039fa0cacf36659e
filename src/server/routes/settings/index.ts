import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../domain/context.js';
import { getSecuritySettings, updateSecuritySettings } from '../../../domain/settings/security-settings.js';
import { problemResponses } from '../../../shared/api/common.js';
import { SecuritySettingsBodySchema, SecuritySettingsPatchSchema, SecuritySettingsResponseSchema } from '../../../shared/api/mfa.js';
import { requestContext } from '../../plugins/context.js';

/** `/api/v1/settings`: instance settings; today Settings → Security (docs/product/security-settings.md#two-factor-authentication). */
export const settingsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const tags = ['settings'];

  app.get(
    '/security',
    {
      schema: {
        operationId: 'getSecuritySettings',
        tags,
        summary: 'The two-factor authentication policy and its grace period (Owners)',
        description:
          'Needs `organization.security_settings.manage` (Owners). Answers `{ mfaPolicy, mfaGraceDays, mfaPolicyChangedAt, requireSso }`.',
        response: { 200: SecuritySettingsResponseSchema, ...problemResponses(401, 403) },
      },
    },
    async (request) => getSecuritySettings(requestContext(request, services)),
  );

  app.put(
    '/security',
    {
      schema: {
        operationId: 'updateSecuritySettings',
        tags,
        summary: 'Require two-factor authentication of nobody, Owners and Admins, or everyone, with a grace period (Owners)',
        description:
          'Needs `organization.security_settings.manage` (Owners). `{ mfaPolicy: none|admins|everyone, mfaGraceDays, requireSso? }` (0–90 days). A new policy restarts every grace period now; a new number of days alone moves the deadlines. `requireSso: true` makes password and passkey logins Owners-only (400 `validation_failed` while no identity provider is registered). Applies from the next request on, on every node; answers the settings.',
        body: SecuritySettingsBodySchema,
        response: { 200: SecuritySettingsResponseSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => updateSecuritySettings(requestContext(request, services), request.body),
  );

  app.patch(
    '/security',
    {
      schema: {
        operationId: 'patchSecuritySettings',
        tags,
        summary: 'Change some of the security settings: the 2FA policy, its grace period, Require SSO (Owners)',
        description:
          'Needs `organization.security_settings.manage` (Owners). Any of `{ mfaPolicy, mfaGraceDays, requireSso }`; the others stay as they are. `requireSso: true` makes password and passkey logins Owners-only (docs/sso.md#requiring-sso); it cannot be turned on while no identity provider is registered (400 `validation_failed`). Answers the settings.',
        body: SecuritySettingsPatchSchema,
        response: { 200: SecuritySettingsResponseSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => updateSecuritySettings(requestContext(request, services), request.body),
  );
};

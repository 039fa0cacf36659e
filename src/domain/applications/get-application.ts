import type { Application } from '../../shared/api/applications.js';
import { whyCannotViewApplications } from '../access/policies/application-policy.js';
import { assertAllowed } from '../access/policies/enforce.js';
import { callerSubject, type OperationContext } from '../context.js';
import { describeApplication } from './present-application.js';

/** `GET /applications/:id` (docs/product/api.md#applications): one application; needs organization.applications.view. */
export async function getApplication(ctx: OperationContext, id: string): Promise<Application> {
  const actor = callerSubject(ctx);
  assertAllowed(whyCannotViewApplications(actor));
  return describeApplication(ctx.database.db, actor, id, ctx.now());
}

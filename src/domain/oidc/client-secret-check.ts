import { findApplicationByClientId } from '../../storage/queries/applications.js';
import { clientSecretMatches } from '../applications/client-secret.js';
import type { Services } from '../context.js';

/** The provider's client-secret check: Roster's digest comparison (with the 24-hour overlap after a rotation). */
export async function clientSecretDigestMatches(services: Services, clientId: string, presented: string): Promise<boolean> {
  const application = await findApplicationByClientId(services.database, clientId);
  return application?.secret_digest ? clientSecretMatches(application, presented, services.now()) : false;
}

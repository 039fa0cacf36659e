import type { ReactNode } from 'react';
import type { AbilityName } from '../api/types';
import { useSession } from '../features/session/session-context';
import { NoAccess } from './no-access';

/** Renders `children` when the server granted `ability`, and a clear "no access" state otherwise. */
export function RequireAbility({ ability, children }: { ability: AbilityName; children: ReactNode }) {
  const { abilities } = useSession();
  return abilities[ability] ? children : <NoAccess />;
}

import { createContext, type ReactNode, useContext } from 'react';
import type { Me } from '../../api/types';

const SessionContext = createContext<Me | null>(null);

/** Makes the signed-in caller available below a session guard. */
export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  return <SessionContext.Provider value={me}>{children}</SessionContext.Provider>;
}

/** The signed-in caller. Only for components rendered inside RequireSession, where a session is certain. */
export function useSession(): Me {
  const me = useContext(SessionContext);
  if (me === null) throw new Error('useSession() is used outside a signed-in part of the console');
  return me;
}

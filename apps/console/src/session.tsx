import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

/**
 * Who is signed in. The key lives in memory; only when the user ticks "Remember me on this browser tab" is it also
 * written to sessionStorage (gone when the tab closes), never to localStorage or a cookie.
 */
export interface Session {
  apiKey: string;
  kind: 'brand' | 'creator';
  /** Brand name or creator handle, for the header. */
  name: string;
  remember: boolean;
}

const STORAGE = 'brandshelf.console.session';

function restored(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

interface SessionContext {
  session: Session | null;
  signIn(session: Session): void;
  signOut(): void;
}

const Context = createContext<SessionContext>({ session: null, signIn() {}, signOut() {} });

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(restored);
  const signIn = useCallback((next: Session) => {
    if (next.remember) sessionStorage.setItem(STORAGE, JSON.stringify(next));
    else sessionStorage.removeItem(STORAGE);
    setSession(next);
  }, []);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(STORAGE);
    setSession(null);
  }, []);
  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export const useSession = () => useContext(Context);

/** The key of the signed-in account (pages that need one are only shown when signed in). */
export function useApiKey(): string {
  return useContext(Context).session?.apiKey ?? '';
}

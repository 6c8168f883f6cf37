import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Role = 'MEMBER' | 'MODERATOR' | 'COMPLIANCE_OFFICER' | 'ADMIN';

/** The staff member signed in on this tab. */
export interface StaffSession {
  token: string;
  roles: Role[];
  expiresAt: string;
}

// sessionStorage: the token lives as long as the tab and is never shared with other tabs or
// written to disk by the browser between visits.
const KEY = 'console.session';

export function loadSession(): StaffSession | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (raw === null) return null;
    const session = JSON.parse(raw) as StaffSession;
    return Date.parse(session.expiresAt) > Date.now() ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(session: StaffSession | null): void {
  if (session === null) sessionStorage.removeItem(KEY);
  else sessionStorage.setItem(KEY, JSON.stringify(session));
}

export interface SessionContextValue {
  session: StaffSession;
  signOut: () => void;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

/** The signed-in session (pages render only inside the signed-in layout). */
export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (value === null) throw new Error('useSession outside the signed-in layout');
  return value;
}

export const hasRole = (session: StaffSession, ...roles: Role[]): boolean =>
  roles.some((role) => session.roles.includes(role));

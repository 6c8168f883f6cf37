import { useMemo, useState } from 'preact/hooks';
import { Provider } from '@urql/preact';
import { createGraphqlClient } from './client';
import { AuditLogPage } from './compliance/audit-log';
import { JurisdictionsPage } from './compliance/jurisdictions';
import { RuleSetPage } from './compliance/rule-set';
import { TransparencyPage } from './compliance/transparency';
import { QueuePage } from './moderation/queue';
import { ReviewItemPage } from './moderation/review-item';
import { href, Redirect, useHashPath } from './router';
import { hasRole, loadSession, saveSession, SessionContext, type StaffSession } from './session';
import { SignIn, signOutToken } from './sign-in';

interface NavEntry {
  route: string;
  label: string;
  show: (session: StaffSession) => boolean;
}

const NAV: NavEntry[] = [
  { route: 'queue', label: 'Review queue', show: (s) => hasRole(s, 'MODERATOR') },
  { route: 'rules', label: 'Rules', show: (s) => hasRole(s, 'COMPLIANCE_OFFICER') },
  { route: 'audit', label: 'Audit log', show: (s) => hasRole(s, 'COMPLIANCE_OFFICER', 'ADMIN') },
  {
    route: 'transparency',
    label: 'Transparency',
    show: (s) => hasRole(s, 'COMPLIANCE_OFFICER', 'ADMIN'),
  },
];

/** The page for a hash path such as ['queue', '42'] or ['rule-sets', '7']. */
function Route({ path, session }: { path: string[]; session: StaffSession }) {
  const [section, id] = path;
  switch (section) {
    case 'queue':
      return id === undefined ? <QueuePage /> : <ReviewItemPage id={id} />;
    case 'rules':
      return <JurisdictionsPage />;
    case 'rule-sets':
      return id === undefined ? <JurisdictionsPage /> : <RuleSetPage id={id} />;
    case 'audit':
      return <AuditLogPage />;
    case 'transparency':
      return <TransparencyPage />;
    default: {
      const home = NAV.find((entry) => entry.show(session));
      if (home === undefined)
        return <p>This account has no console page. Ask an administrator for a staff role.</p>;
      return <Redirect to={home.route} />;
    }
  }
}

function SignedIn({ session, onSignOut }: { session: StaffSession; onSignOut: () => void }) {
  const path = useHashPath();
  const entries = NAV.filter((entry) => entry.show(session));
  const current = path[0] === 'rule-sets' ? 'rules' : path[0];
  return (
    <SessionContext.Provider value={{ session, signOut: onSignOut }}>
      <a class="skip-link" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={href(entries[0]?.route ?? '')}>
          Staff console
        </a>
        <nav aria-label="Console">
          <ul>
            {entries.map((entry) => (
              <li key={entry.route}>
                <a
                  href={href(entry.route)}
                  aria-current={current === entry.route ? 'page' : undefined}
                >
                  {entry.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" class="link sign-out" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Route path={path} session={session} />
      </main>
    </SessionContext.Provider>
  );
}

/** Hash links would change the route; the skip link only moves focus. */
function skipToMain(event: MouseEvent) {
  event.preventDefault();
  document.getElementById('main')?.focus();
}

export function App() {
  const [session, setSession] = useState<StaffSession | null>(loadSession);
  const client = useMemo(
    () =>
      createGraphqlClient(session?.token ?? null, () => {
        saveSession(null);
        setSession(null);
      }),
    [session?.token],
  );

  function signIn(next: StaffSession) {
    saveSession(next);
    setSession(next);
  }
  function signOut() {
    if (session !== null) void signOutToken(session.token);
    saveSession(null);
    setSession(null);
  }

  return (
    <Provider value={client}>
      {session === null ? (
        <SignIn onSignedIn={signIn} />
      ) : (
        <SignedIn session={session} onSignOut={signOut} />
      )}
    </Provider>
  );
}

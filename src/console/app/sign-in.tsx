import { useState } from 'preact/hooks';
import { gql, useMutation } from '@urql/preact';
import { ErrorNotice } from './errors';
import type { StaffSession } from './session';

const SIGN_IN = gql`
  mutation ConsoleSignIn($email: String!, $password: String!) {
    signIn(email: $email, password: $password) {
      token
      expiresAt
      viewer {
        roles
      }
    }
  }
`;

interface SignInData {
  signIn: { token: string; expiresAt: string; viewer: { roles: StaffSession['roles'] } };
}

/** Ends a session on the server (best effort: the token is forgotten either way). */
export async function signOutToken(token: string): Promise<void> {
  try {
    await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'mutation ConsoleSignOut { signOut }' }),
    });
  } catch {
    // Offline: the session expires on its own.
  }
}

/** Email and password sign-in; members without a staff role are told so and not let in. */
export function SignIn({ onSignedIn }: { onSignedIn: (session: StaffSession) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [notStaff, setNotStaff] = useState(false);
  const [result, signIn] = useMutation<SignInData>(SIGN_IN);

  async function submit(event: Event) {
    event.preventDefault();
    setNotStaff(false);
    const answer = await signIn({ email, password });
    const session = answer.data?.signIn;
    if (session === undefined) return;
    const roles = session.viewer.roles;
    if (!roles.some((role) => role !== 'MEMBER')) {
      setNotStaff(true);
      await signOutToken(session.token);
      return;
    }
    onSignedIn({ token: session.token, expiresAt: session.expiresAt, roles });
  }

  return (
    <main id="main" class="sign-in">
      <h1>Staff console</h1>
      <p class="muted">For moderators and compliance officers.</p>
      <form onSubmit={(event) => void submit(event)} class="stack">
        <label>
          Email
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {result.error !== undefined && <ErrorNotice error={result.error} />}
        {notStaff && (
          <div class="notice notice-error" role="alert">
            This account has no staff role. Ask an administrator to grant one.
          </div>
        )}
        <button type="submit" class="primary" disabled={result.fetching}>
          {result.fetching ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

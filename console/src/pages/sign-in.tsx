import { useState } from 'preact/hooks';
import { api, type Me, storeKey } from '../api.ts';
import { type CognitoAuth, startSignIn } from '../auth.ts';
import { ProblemBox } from '../ui.tsx';

/** Local sign-in: an API key as printed by `npm start`; in AWS (`auth`), Cognito's hosted UI. */
export function SignIn({
  onSignedIn,
  auth,
  error: initialError,
}: {
  onSignedIn: (me: Me) => void;
  auth?: CognitoAuth | undefined;
  error?: unknown;
}) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(initialError);
  const [busy, setBusy] = useState(false);
  if (auth) {
    return (
      <main id="main" class="sign-in">
        <h1>Herald operations console</h1>
        <p>Sign in with your Herald account.</p>
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            startSignIn(auth).catch((problem: unknown) => {
              setError(problem);
              setBusy(false);
            });
          }}
        >
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <ProblemBox error={error} />
      </main>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const me = await api<Me>('GET', '/me', undefined, key.trim());
      storeKey(key.trim());
      onSignedIn(me);
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="sign-in">
      <h1>Herald operations console</h1>
      <p>
        Sign in with your API key. Locally, <code>npm start</code> prints one for each demo user.
      </p>
      <form onSubmit={submit}>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autocomplete="off"
          required
          value={key}
          onInput={(event) => setKey(event.currentTarget.value)}
        />
        <button type="submit" disabled={busy || key.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <ProblemBox error={error} />
    </main>
  );
}

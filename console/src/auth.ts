/**
 * Sign-in in AWS: `/console/config.json` (written by the CDK deployment) names the API and the
 * Cognito hosted UI. The console signs in with the authorization code grant and PKCE (S256), and
 * sends the ID token as its Bearer credential. The local stack's config.json names `api-key`
 * instead: sign in with an API key, same origin.
 */
import { challengeOf, createVerifier } from './pkce.ts';

export interface CognitoAuth {
  kind: 'cognito';
  /** The hosted UI's host, `<prefix>.auth.<region>.amazoncognito.com`. */
  domain: string;
  clientId: string;
  redirectUri: string;
}

export interface ConsoleConfig {
  apiUrl: string;
  auth: CognitoAuth;
}

const PENDING = 'herald.signIn';

function origin(domain: string): string {
  return domain.startsWith('https://') ? domain : `https://${domain}`;
}

/** What config.json says: Cognito sign-in (absent for API keys, locally) and the ops room's time zone. */
export interface ConsoleSettings {
  cognito?: ConsoleConfig;
  timeZone?: string;
}

/** Reads config.json; without one (or unreadable), API-key sign-in and UTC. */
export async function loadConfig(): Promise<ConsoleSettings> {
  try {
    const response = await fetch('/console/config.json', { cache: 'no-store' });
    if (!response.ok) return {};
    const body = (await response.json()) as Partial<ConsoleConfig> & { timeZone?: unknown };
    return {
      ...(typeof body.apiUrl === 'string' && body.auth?.kind === 'cognito'
        ? { cognito: body as ConsoleConfig }
        : {}),
      ...(typeof body.timeZone === 'string' ? { timeZone: body.timeZone } : {}),
    };
  } catch {
    return {};
  }
}

/** Goes to the hosted UI; it comes back to `redirectUri` with `?code&state`. */
export async function startSignIn(auth: CognitoAuth): Promise<void> {
  const verifier = createVerifier();
  const state = createVerifier();
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: auth.redirectUri,
    scope: 'openid email profile',
    state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
  });
  window.location.assign(`${origin(auth.domain)}/oauth2/authorize?${query}`);
}

/**
 * On the way back from the hosted UI: checks `state`, exchanges the code for tokens and returns
 * the ID token (undefined when this page load is no callback).
 * @throws Error when the state does not match or the token endpoint refuses the code.
 */
export async function finishSignIn(auth: CognitoAuth): Promise<string | undefined> {
  const params = new URLSearchParams(window.location.search);
  const code = params.get('code');
  if (!code) return undefined;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? '{}') as {
    verifier?: string;
    state?: string;
  };
  sessionStorage.removeItem(PENDING);
  window.history.replaceState(null, '', window.location.pathname + window.location.hash);
  if (!pending.verifier || pending.state !== params.get('state')) throw new Error('Sign-in state mismatch');
  const response = await fetch(`${origin(auth.domain)}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: auth.clientId,
      code,
      redirect_uri: auth.redirectUri,
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) throw new Error(`Sign-in failed (${response.status})`);
  const tokens = (await response.json()) as { id_token?: string };
  if (!tokens.id_token) throw new Error('Sign-in returned no ID token');
  return tokens.id_token;
}

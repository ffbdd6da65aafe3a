import { render } from 'preact';
import { setApiBase, storeKey } from './api.ts';
import { App } from './app.tsx';
import { type ConsoleConfig, finishSignIn, loadConfig } from './auth.ts';
import './styles.css';

/** In AWS, config.json names the API and the hosted UI; a callback from it brings an ID token. */
async function start(): Promise<void> {
  const config: ConsoleConfig | undefined = await loadConfig();
  let signInError: unknown;
  if (config) {
    setApiBase(config.apiUrl);
    try {
      const idToken = await finishSignIn(config.auth);
      if (idToken) storeKey(idToken);
    } catch (error) {
      signInError = error;
    }
  }
  const root = document.getElementById('app');
  if (root) render(<App config={config} signInError={signInError} />, root);
}

void start();

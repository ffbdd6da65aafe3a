import { render } from 'preact';
import { setApiBase, storeKey } from './api.ts';
import { App } from './app.tsx';
import { finishSignIn, loadConfig } from './auth.ts';
import './styles.css';
import { setDisplayZone } from './ui.tsx';

/**
 * config.json names the ops room's time zone and, in AWS, the API and the hosted UI; a callback from
 * the hosted UI brings an ID token.
 */
async function start(): Promise<void> {
  const { cognito: config, timeZone } = await loadConfig();
  setDisplayZone(timeZone);
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

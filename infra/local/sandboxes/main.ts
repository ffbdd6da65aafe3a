/**
 * The provider sandboxes in a process of their own, for runs where the provider must
 * outlive Herald (a `kill -9` of the local stack while the "provider" keeps its messages and
 * retries its status callbacks). Ports from HERALD_SANDBOX_TWILIO_PORT, HERALD_SANDBOX_X_PORT,
 * HERALD_SANDBOX_FACEBOOK_PORT and HERALD_SANDBOX_AWS_SMS_PORT (default 3001–3003 and a free port
 * for the last; 0 picks a free one); point the stack at them with HERALD_TWILIO_URL,
 * HERALD_X_URL, HERALD_FACEBOOK_URL and HERALD_AWS_SMS_URL. HERALD_SANDBOX_LATENCY (e.g.
 * `twilio=150-300`) slows their provider APIs as a real provider's are.
 *
 *   node --import tsx infra/local/sandboxes/main.ts
 */
import { readLocalSettings } from '#infra/local/settings.ts';
import { sandboxesOptions, startSandboxes } from './index.ts';

try {
  const settings = readLocalSettings();
  const sandboxes = await startSandboxes(sandboxesOptions(settings));
  console.log(`Provider sandboxes are running

  Twilio sandbox    ${sandboxes.twilio.url}
  X sandbox         ${sandboxes.x.url}
  Facebook sandbox  ${sandboxes.facebook.url}
  AWS SMS sandbox   ${sandboxes.awsSms.url}

Press Ctrl-C to stop.`);
  const stop = async () => {
    await sandboxes.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  // A port taken or a bad setting says what to fix; no stack trace.
  console.error(`Cannot start the sandboxes: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

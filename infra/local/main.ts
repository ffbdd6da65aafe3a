/** `npm start`: the local stack in the foreground, until Ctrl-C. */
import { readLocalSettings } from './settings.ts';
import { startLocalStack } from './stack.ts';

const startedAt = performance.now();
try {
  const settings = readLocalSettings();
  const stack = await startLocalStack(settings);
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  console.log(`
Herald is running (ready in ${seconds} s)

  API               ${stack.apiUrl}
  Console           ${stack.apiUrl}/console/
  Status site       ${stack.statusUrl}  (also /status.json)
  Twilio sandbox    ${stack.sandboxes.twilio}/__sandbox/messages
  X sandbox         ${stack.sandboxes.x}/__sandbox/messages
  Facebook sandbox  ${stack.sandboxes.facebook}/__sandbox/messages
  DynamoDB Local    ${stack.dynamoDbEndpoint}
  Data              ${settings.HERALD_DATA_DIR ?? 'in memory (set HERALD_DATA_DIR to keep it)'}
  Seed              ${settings.HERALD_SEED === 'demo' ? `demo (${settings.HERALD_DEMO_CUSTOMERS} customers)` : 'none'}

API keys (Authorization: Bearer <key>):
${stack.users.map((user) => `  ${user.role.padEnd(11)} ${user.user.padEnd(14)} ${user.key}`).join('\n')}

Press Ctrl-C to stop.`);
  const stop = async () => {
    await stack.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  // A named error (Java missing, port taken, bad settings) says what to fix; no stack trace.
  console.error(`Cannot start Herald: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

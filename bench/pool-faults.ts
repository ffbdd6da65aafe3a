/**
 * `npm run bench:pool-faults`: a fault sweep of the sender pool with failover. The e2e test's pool
 * of three senders (test/support/sender-pool.ts) sends one broadcast of 300 while the Twilio
 * sandbox answers 8% 503, 4% 500, 8% 429, 4% timeouts and 4% lost replies (accepted, answer never
 * sent), and the fallback's (AWS End User Messaging SMS) 5% 503 and 3% lost replies; Twilio at
 * 150–300 ms. It counts every passenger's SMS across both sandboxes and prints the passengers
 * texted twice or never, the broadcast's counts, and each record that did not reach its
 * passenger with its error, and the SMS batch messages dead-lettered. Functions run as
 * lambda-setup.ts says; BENCH_FAULT_SEED repeats a sequence of faults (the run's timing still
 * differs); HERALD_SMS_MAX_RECEIVES lowers the SMS queue's receives, so batches reach their last.
 * Exits 1 if anyone was texted twice or never.
 */
import { apiClient, sandboxMessages } from '#test/support/local-stack.ts';
import { broadcastEnded, broadcastToPool, poolPhones, startPoolStack } from '#test/support/sender-pool.ts';
import { benchLambdaEnv, benchLambdaLabel, prepareBenchCode } from './lambda-setup.ts';

const SEED = Number(process.env.BENCH_FAULT_SEED ?? Date.now() % 100_000);
const TWILIO_FAULTS = { status503: 0.08, status500: 0.04, status429: 0.08, timeout: 0.04, lostReply: 0.04 };
const AWS_SMS_FAULTS = { status503: 0.05, lostReply: 0.03 };
/** Receipts and events still on their way once the broadcast has ended. */
const SETTLE_MS = 5_000;

await prepareBenchCode();
const smsMaxReceives = process.env.HERALD_SMS_MAX_RECEIVES;
const stack = await startPoolStack({
  HERALD_SMS_FALLBACK_ORIGINATION_IDENTITY: 'pool-herald-local',
  HERALD_SANDBOX_LATENCY: 'twilio=150-300',
  // Fewer receives than the queue's 10 bring batches to their last receive under these faults.
  ...(smsMaxReceives ? { HERALD_SMS_MAX_RECEIVES: smsMaxReceives } : {}),
  ...benchLambdaEnv,
});
const setFaults = (sandboxUrl: string, faults: object) =>
  fetch(`${sandboxUrl}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
let failedPassengers = 0;
try {
  await setFaults(stack.sandboxes.twilio, { ...TWILIO_FAULTS, seed: SEED });
  await setFaults(stack.sandboxes.awsSms, { ...AWS_SMS_FAULTS, seed: SEED + 1 });
  const operator = apiClient(stack, 'operator');
  const { broadcastId, acceptedAt } = await broadcastToPool(apiClient(stack, 'admin'), operator);
  const ended = await broadcastEnded(operator, broadcastId, 900_000).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

  const twilio = (await sandboxMessages(stack.sandboxes.twilio)).map(({ request }) =>
    String(request.body.To),
  );
  const awsSms = (await sandboxMessages(stack.sandboxes.awsSms)).map(({ request }) =>
    String(request.body.DestinationPhoneNumber),
  );
  const texts = new Map<string, number>();
  for (const phone of [...twilio, ...awsSms]) texts.set(phone, (texts.get(phone) ?? 0) + 1);
  const never = Object.values(poolPhones())
    .flat()
    .filter((phone) => !texts.has(phone));
  const twice = [...texts].filter(([, count]) => count > 1).map(([phone]) => phone);
  failedPassengers = never.length + twice.length;

  console.log(
    `Pool with failover under faults, ${benchLambdaLabel}, fault seed ${SEED}, ${smsMaxReceives ?? 10} receives per SMS batch`,
  );
  console.log(
    `  broadcast ${ended?.status ?? 'not ended after 15 min'} ${((Date.now() - acceptedAt) / 1000).toFixed(0)} s after the 202`,
  );
  console.log(`  SMS accepted: Twilio ${twilio.length}, AWS ${awsSms.length}`);
  console.log(`  texted twice: ${twice.length} ${twice.join(' ')}`);
  console.log(`  never texted: ${never.length} ${never.join(' ')}`);
  console.log(`  counts: ${JSON.stringify(ended?.counts.sms)}`);
  // Only batches holding a record given up (failed) belong there; any other is a false alarm.
  const smsQueue = stack.queues.get('send-sms');
  console.log(
    `  SMS batch messages dead-lettered: ${smsQueue?.deadLetters.length}, still in the queue: ${smsQueue?.depth}`,
  );
  for (const status of ['failed', 'undelivered', 'queued', 'sending']) {
    const { body } = await operator<{ items: unknown[] }>(
      'GET',
      `/broadcasts/${broadcastId}/deliveries?channel=sms&status=${status}`,
    );
    for (const record of body.items) console.log(`  ${status}: ${JSON.stringify(record)}`);
  }
} finally {
  await stack.close();
}
process.exitCode = failedPassengers > 0 ? 1 : 0;

/**
 * `npm run bench:receipts [customers]`: whether every SMS record ends with its delivery receipt
 * when the receipts come faster than the webhook takes them. Starts the local stack (functions
 * as lambda-setup.ts says: faithfully, from the deployment bundles) with a demo airline of
 * `customers` (default 1,500) at HERALD_SMS_MPS=500, broadcasts a strike at HEL by SMS, and
 * prints the SMS counts by status three times: when the broadcast completed, once the receipts
 * had BENCH_RECEIPTS_SETTLE_SECONDS (default 30) more to arrive, and once no record was left
 * `sent` (receipt reconciliation, HERALD_RECEIPT_GRACE_SECONDS after the end, default 60 here)
 * or BENCH_RECEIPTS_WAIT_SECONDS (default 300) passed; with the 1-minute load average sampled
 * every 15 s; and how many passengers the Twilio sandbox texted, and how many of them twice.
 */
import { loadavg } from 'node:os';
import type { Broadcast, ChannelCounts } from '#shared/domain/model.ts';
import { demoWindow } from '#test/support/demo-audience.ts';
import {
  apiClient,
  messagesPerPhone,
  smsStrikeAtHelsinki,
  startTestStack,
} from '#test/support/local-stack.ts';
import { benchLambdaEnv, benchLambdaLabel, prepareBenchCode } from './lambda-setup.ts';

const customers = process.argv[2] ?? '1500';
const settleMs = Number(process.env.BENCH_RECEIPTS_SETTLE_SECONDS ?? 30) * 1000;
const waitMs = Number(process.env.BENCH_RECEIPTS_WAIT_SECONDS ?? 300) * 1000;
process.env.HERALD_RECEIPT_GRACE_SECONDS ??= '60';

const loads: number[] = [];
const sampler = setInterval(() => loads.push(loadavg()[0] ?? 0), 15_000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

await prepareBenchCode();
const stack = await startTestStack({
  HERALD_DEMO_CUSTOMERS: customers,
  HERALD_SMS_MPS: '500',
  ...benchLambdaEnv,
});
try {
  const operator = apiClient(stack, 'operator');
  const started = Date.now();
  const { broadcastId } = await smsStrikeAtHelsinki(operator, demoWindow());
  /** The broadcast's SMS counts; a request the loaded stack does not answer is asked again. */
  const smsCounts = async (): Promise<{ status: string; sms: ChannelCounts | undefined }> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const { body } = await operator<Broadcast>('GET', `/broadcasts/${broadcastId}`);
        return { status: body.status, sms: body.counts.sms };
      } catch (error) {
        if (attempt === 10) throw error;
        await sleep(2000);
      }
    }
  };
  const report = (moment: string, { status, sms }: Awaited<ReturnType<typeof smsCounts>>) => {
    // An undelivered record counts as failed.
    const { recipients, sent, delivered, failed, queued } = sms ?? ({} as ChannelCounts);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    console.log(JSON.stringify({ moment, seconds, status, recipients, queued, sent, delivered, failed }));
  };

  let counts = await smsCounts();
  while (['queued', 'sending'].includes(counts.status)) {
    await sleep(1000);
    counts = await smsCounts();
  }
  report('broadcast ended', counts);
  await sleep(settleMs);
  report(`${settleMs / 1000} s later`, await smsCounts());
  const deadline = Date.now() + waitMs;
  do {
    await sleep(5000);
    counts = await smsCounts();
  } while ((counts.sms?.sent ?? 0) > 0 && Date.now() < deadline);
  report(
    (counts.sms?.sent ?? 0) > 0 ? `after ${waitMs / 1000} s more, some still sent` : 'none sent',
    counts,
  );
  // Whatever the receipts did, each passenger must have been texted exactly once.
  const textsPerPhone = await messagesPerPhone(stack.sandboxes.twilio);
  const textedTwice = [...textsPerPhone.values()].filter((texts) => texts > 1).length;
  console.log(JSON.stringify({ passengersTexted: textsPerPhone.size, textedTwice }));
  console.log(
    `${benchLambdaLabel}; 1-minute load average every 15 s: ${loads.map((load) => load.toFixed(1)).join(' ')}`,
  );
} finally {
  clearInterval(sampler);
  await stack.close();
}

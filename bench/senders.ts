/**
 * `npm run bench:senders`: the rate each sender of a pool holds, on the local stack against the
 * Twilio sandbox (answering at once, or as BENCH_SANDBOX_LATENCY says, e.g. `twilio=150-300`,
 * Twilio's answer time). The e2e test's pool of three senders
 * at 2 + 3 + 5 SMS/s (test/support/sender-pool.ts) sends one broadcast of 300; per sender, and per
 * long code of a list, the messages, the rate measured between its first and last and in its
 * busiest 5 s (above the configured rate only if the pacing let more through), and again
 * over the SMS sent once the planner had written the whole audience (until then a sender may wait
 * for passengers rather than for its rate), with the time from the 202 to the first and last SMS.
 * Functions run as lambda-setup.ts says (faithfully, from the deployment bundles, unless told
 * otherwise); the figures are labelled with the runtime and code. A broadcast that has not ended
 * within 5 minutes is reported with what the sandbox received by then.
 */
import { senderRate } from '#shared/domain/sms-senders.ts';
import { apiClient, type SandboxMessage, sandboxMessages } from '#test/support/local-stack.ts';
import {
  BUSIEST_WINDOW_MS,
  broadcastEnded,
  broadcastToPool,
  figuresBy,
  originOf,
  poolSenderOf,
  startPoolStack,
  THREE_SENDERS,
} from '#test/support/sender-pool.ts';
import { benchLambdaEnv, benchLambdaLabel, prepareBenchCode } from './lambda-setup.ts';

await prepareBenchCode();
const stack = await startPoolStack({
  ...benchLambdaEnv,
  HERALD_SANDBOX_LATENCY: process.env.BENCH_SANDBOX_LATENCY ?? '',
});
try {
  const operator = apiClient(stack, 'operator');
  const { broadcastId, acceptedAt } = await broadcastToPool(apiClient(stack, 'admin'), operator);
  const ended = await broadcastEnded(operator, broadcastId, 300_000).catch(() => undefined);
  const messages = await sandboxMessages(stack.sandboxes.twilio);
  const receivedAt = messages.map((message) => Date.parse(message.receivedAt));
  const [firstAt, lastAt] = [Math.min(...receivedAt), Math.max(...receivedAt)];

  console.log(
    `Sender pool, ${benchLambdaLabel}: broadcast ${ended?.status ?? 'not ended after 5 min'}, ${messages.length} SMS`,
  );
  console.log(`  from the 202 to the first SMS: ${((firstAt - acceptedAt) / 1000).toFixed(1)} s`);
  console.log(`  from the 202 to the last SMS: ${((lastAt - acceptedAt) / 1000).toFixed(1)} s`);
  const plannedAt = ended?.plannedAt ? Date.parse(ended.plannedAt) : Number.NaN;
  console.log(
    `  from the 202 to the whole audience planned: ${((plannedAt - acceptedAt) / 1000).toFixed(1)} s`,
  );
  const planned = messages.filter((message) => Date.parse(message.receivedAt) >= plannedAt);
  for (const [heading, measured] of [
    ['From first to last SMS:', messages],
    // A sender can only hold its rate while it has passengers waiting; before the planner has
    // written the whole audience, how fast it writes sets the pace (see docs/sms-senders.md).
    ['Once the whole audience was planned:', planned],
  ] as const) {
    console.log(heading);
    printRates(measured);
  }
} finally {
  await stack.close();
}

/** Per sender of the pool, and per long code of a list, the messages and the rate they went at. */
function printRates(messages: readonly SandboxMessage[]): void {
  const rows = THREE_SENDERS.senders.flatMap((sender) => {
    const own = messages.filter((message) => poolSenderOf(message) === sender.id);
    const whole = {
      name: sender.id,
      configured: senderRate(sender),
      figures: figuresBy(own, () => sender.id),
    };
    const perNumber = sender.longCodes
      ? [
          {
            name: `  ${sender.id} per long code`,
            configured: sender.perSecond,
            figures: figuresBy(own, originOf),
          },
        ]
      : [];
    return [whole, ...perNumber];
  });
  for (const { name, configured, figures } of rows) {
    for (const [key, measured] of figures) {
      const label = key === name.trim() ? name : `${name} ${key}`;
      console.log(
        `  ${label.padEnd(40)} ${String(measured.messages).padStart(4)} SMS  ${measured.perSecond.toFixed(2)}/s of ${configured}/s, ${((measured.lastAt - measured.firstAt) / 1000).toFixed(1)} s first to last, busiest ${BUSIEST_WINDOW_MS / 1000} s ${measured.busiestPerSecond.toFixed(2)}/s`,
      );
    }
  }
}

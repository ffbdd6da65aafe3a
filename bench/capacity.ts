/**
 * `npm run bench:capacity`: what a broadcast needs in AWS, worked out from the per-recipient
 * figures the end-to-end benchmark measured (bench/results/end-to-end.json, its largest run):
 * for 10,000, 100,000 and 1,000,000 recipients at 100 and 1,000 SMS/s, the Lambda concurrency,
 * DynamoDB capacity and hottest partition, SNS and SQS requests, the time to the last SMS and
 * the AWS cost. Prints a Markdown table for docs/capacity.md.
 */
import { readFile } from 'node:fs/promises';
import { SMS_SENDS_PER_INVOCATION_PER_SECOND, smsWorkerConcurrency } from '#functions/manifest.ts';

interface MeasuredRun {
  mode: string;
  recipients: number;
  recipientsPerSecond: number;
  writeUnitsPerRecipient: number;
  readUnitsPerRecipient: number;
  capacity: { hottestPartition: { key: string; writes: number } | null };
}

/**
 * On-demand list prices in US dollars (us-east-1, 2025; other regions differ by up to ~15%):
 * DynamoDB per million write and read request units, Lambda (Arm) per GB-second and per million
 * requests, SNS per million publishes, SQS per million requests.
 */
const PRICE = {
  writeUnit: 0.625 / 1e6,
  readUnit: 0.125 / 1e6,
  lambdaGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  snsPublish: 0.5 / 1e6,
  sqsRequest: 0.4 / 1e6,
};
const MEMORY_GB = 1;
/** Recipients per SMS message on the bus (HERALD_SMS_BATCH_SIZE's default); messages per SNS PublishBatch (each billed). */
const SMS_BATCH = 25;
const PUBLISH_BATCH = 10;
/** SQS requests per message: SNS's delivery, the event source's receive and its delete. */
const SQS_REQUESTS_PER_MESSAGE = 3;
/** A Twilio status callback's invocation, ms (the delivery receipt of each SMS). */
const RECEIPT_MS = 50;

const RECIPIENTS = [10_000, 100_000, 1_000_000];
const RATES = [100, 1_000];

const results = JSON.parse(await readFile('bench/results/end-to-end.json', 'utf8')) as {
  measuredAt: string;
  runs: MeasuredRun[];
};
const run = results.runs.reduce((largest, candidate) =>
  candidate.recipients > largest.recipients ? candidate : largest,
);
const partitionWritesPerRecipient = (run.capacity.hottestPartition?.writes ?? 0) / run.recipients;

const thousands = (value: number) => Math.round(value).toLocaleString('en-US');
const dollars = (value: number) => `$${value < 10 ? value.toFixed(2) : thousands(value)}`;

console.log(
  `From the ${run.mode} run of ${results.measuredAt} (${thousands(run.recipients)} recipients): ` +
    `${run.writeUnitsPerRecipient.toFixed(2)} write and ${run.readUnitsPerRecipient.toFixed(2)} read units, ` +
    `${partitionWritesPerRecipient.toFixed(2)} writes to the hottest partition (${run.capacity.hottestPartition?.key}) per recipient.\n`,
);
console.log(
  '| recipients | SMS/s | time to last SMS | send-sms concurrency | receipts concurrency | write units | read units | hottest partition writes/s | SNS messages (PublishBatch calls) | SQS requests | AWS cost |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const recipients of RECIPIENTS) {
  for (const rate of RATES) {
    const seconds = recipients / rate;
    const smsConcurrency = smsWorkerConcurrency(rate);
    const receiptConcurrency = Math.max(1, Math.ceil((rate * RECEIPT_MS) / 1000));
    const writeUnits = recipients * run.writeUnitsPerRecipient;
    const readUnits = recipients * run.readUnitsPerRecipient;
    const messages = Math.ceil(recipients / SMS_BATCH);
    const publishes = Math.ceil(messages / PUBLISH_BATCH);
    const sqsRequests = messages * SQS_REQUESTS_PER_MESSAGE;
    // Each SMS worker invocation is busy for its share of the sends; each receipt is one invocation.
    const smsGbSeconds =
      (recipients / Math.min(rate / smsConcurrency, SMS_SENDS_PER_INVOCATION_PER_SECOND)) * MEMORY_GB;
    const receiptGbSeconds = (recipients * RECEIPT_MS * MEMORY_GB) / 1000;
    const cost =
      writeUnits * PRICE.writeUnit +
      readUnits * PRICE.readUnit +
      (smsGbSeconds + receiptGbSeconds) * PRICE.lambdaGbSecond +
      (messages + recipients) * PRICE.lambdaRequest +
      messages * PRICE.snsPublish +
      sqsRequests * PRICE.sqsRequest;
    console.log(
      `| ${thousands(recipients)} | ${thousands(rate)} | ${seconds < 120 ? `${Math.round(seconds)} s` : `${(seconds / 60).toFixed(1)} min`} | ` +
        `${smsConcurrency} | ${receiptConcurrency} | ${thousands(writeUnits)} | ${thousands(readUnits)} | ` +
        `${thousands(partitionWritesPerRecipient * rate)} | ${thousands(messages)} (${thousands(publishes)}) | ${thousands(sqsRequests)} | ${dollars(cost)} |`,
    );
  }
}

/**
 * `npx tsx bench/ledger-partitions.ts [customers]`: how many writes the delivery ledger's hottest
 * partition key takes per recipient of a broadcast (issue 14, "no hot partition"). Starts the
 * local stack in process with a demo airline of `customers` (default 5,000), broadcasts a strike
 * at HEL over the whole schedule by SMS, waits until every SMS is delivered (its receipt is the
 * record's last write), and counts each item write of the ledger table by partition key from the
 * consumed-capacity channel; also prints the stack's hottest partition over every table (what
 * `GET /__herald/capacity` reports). Write counts, not rates: the runtime does not change them.
 */
import { subscribe } from 'node:diagnostics_channel';
import {
  type CapacityEvent,
  type CapacityReport,
  capacityChannel,
} from '#shared/adapters/consumed-capacity.ts';
import type { Broadcast } from '#shared/domain/model.ts';
import { demoWindow } from '#test/support/demo-audience.ts';
import { apiClient, eventually, smsStrikeAtHelsinki, startTestStack } from '#test/support/local-stack.ts';

const customers = process.argv[2] ?? '5000';
const stack = await startTestStack({ HERALD_DEMO_CUSTOMERS: customers, HERALD_SMS_MPS: '500' });
const ledgerTable = process.env.DELIVERIES_TABLE ?? '';
const writesByPartition = new Map<string, number>();
subscribe(capacityChannel.name, (message) => {
  const event = message as CapacityEvent;
  if (event.kind !== 'item' || !event.partitionKey?.startsWith(`${ledgerTable} `)) return;
  writesByPartition.set(event.partitionKey, (writesByPartition.get(event.partitionKey) ?? 0) + 1);
});

try {
  const operator = apiClient(stack, 'operator');
  const started = Date.now();
  const { broadcastId } = await smsStrikeAtHelsinki(operator, demoWindow());
  const delivered = await eventually(async () => {
    const { body } = await operator<Broadcast>('GET', `/broadcasts/${broadcastId}`);
    const sms = body.counts.sms;
    return body.status === 'completed' && sms?.delivered === sms?.recipients ? body : undefined;
  }, 600_000);
  const stackReport = (await (await fetch(`${stack.apiUrl}/__herald/capacity`)).json()) as CapacityReport;
  const recipients = delivered.counts.sms?.recipients ?? 0;
  const writes = [...writesByPartition.values()];
  const hottest = Math.max(...writes);
  const total = writes.reduce((sum, count) => sum + count, 0);
  console.log(
    JSON.stringify(
      {
        ledgerTable,
        recipients,
        seconds: (Date.now() - started) / 1000,
        ledgerWritesPerRecipient: total / recipients,
        partitionKeysWritten: writes.length,
        hottestLedgerPartition: { writes: hottest, perRecipient: hottest / recipients },
        stackHottestPartition: stackReport.hottestPartition,
      },
      null,
      2,
    ),
  );
} finally {
  await stack.close();
}

/**
 * A function for the local runtime's tests: it keeps a count in module state, and the event says
 * what to do with it. Its instances are what is under test, not the handler.
 */
import { appendFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context } from 'aws-lambda';
import { capacityChannelSink } from '#shared/adapters/consumed-capacity.ts';

export type ProbeEvent =
  | { action: 'count' }
  | { action: 'wait'; ms: number }
  | { action: 'write-after'; ms: number; file: string }
  | { action: 'write-in-background'; ms: number; file: string }
  | { action: 'fail' }
  | { action: 'context' }
  | { action: 'report-capacity' }
  | { action: 'loaded-at' }
  | { action: 'initialization-type' }
  | { action: 'log'; lines: number; tag: string };

let invocations = 0;
const loadedAt = Date.now();

export async function handler(event: ProbeEvent, context: Context): Promise<unknown> {
  invocations += 1;
  switch (event.action) {
    case 'count':
      return invocations;
    case 'wait': {
      const startedAt = Date.now();
      await sleep(event.ms);
      return { startedAt, endedAt: Date.now() };
    }
    case 'write-after':
      await sleep(event.ms);
      await appendFile(event.file, 'still running\n');
      return 'written';
    case 'write-in-background':
      // Not awaited: the handler answers while the write is still to come.
      void sleep(event.ms).then(() => appendFile(event.file, 'written in the background\n'));
      return 'answered';
    case 'fail':
      throw new RangeError('the probe failed on purpose');
    case 'context':
      return { requestId: context.awsRequestId, remainingMs: context.getRemainingTimeInMillis() };
    case 'loaded-at':
      return loadedAt;
    case 'initialization-type':
      return process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
    case 'log':
      for (let line = 0; line < event.lines; line++) console.log(`${event.tag} ${line}`);
      return 'logged';
    case 'report-capacity':
      capacityChannelSink.addUnits('write', 2);
      capacityChannelSink.addItemWrite('deliveries broadcastId=B1', 'deliveries B1');
      return 'reported';
  }
}

/**
 * One function instance: the entry of a worker thread, as a Lambda execution environment is
 * for one function. It imports the function's module (its cold start), says it is ready, then
 * runs the invocations the stack sends it, one at a time, and answers each with the handler's
 * result or error. Between answering and the next invocation it is frozen, as Lambda freezes an
 * execution environment: work the handler left running (a timer, a request not awaited) waits. What its DynamoDB client reports on the consumed-capacity channel goes to
 * the stack, which adds up every instance's.
 */
import { subscribe } from 'node:diagnostics_channel';
import { parentPort, workerData } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import { type CapacityEvent, capacityChannel } from '#shared/adapters/consumed-capacity.ts';
import {
  answerThenFreeze,
  type InstanceData,
  type InstanceMessage,
  type InvokeMessage,
  toThrownError,
} from './instance-protocol.ts';
import { lambdaContext } from './lambda-context.ts';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const CAPACITY_FLUSH_MS = 250;

if (!parentPort) throw new Error('instance.ts runs as a worker thread of the local stack');
const stack = parentPort;
const { functionName, moduleUrl, gate } = workerData as InstanceData;
const post = (message: InstanceMessage) => stack.postMessage(message);

let capacity: CapacityEvent[] = [];
const flushCapacity = () => {
  if (capacity.length === 0) return;
  post({ type: 'capacity', events: capacity });
  capacity = [];
};
subscribe(capacityChannel.name, (event) => capacity.push(event as CapacityEvent));
setInterval(flushCapacity, CAPACITY_FLUSH_MS).unref();

/**
 * Resolves once what the invocation wrote to stdout and stderr has reached the stack. A worker
 * thread's stdio is asynchronous: what is still buffered when the instance freezes would come out
 * only at its next invocation, and never if it is stopped first. Lambda has an invocation's log
 * lines out when it ends (the EMF metrics among them).
 */
const outputHandedOn = () =>
  Promise.all(
    [process.stdout, process.stderr]
      // Nothing buffered: every write has reached the stack already, and no round trip is owed.
      .filter((stream) => stream.writableLength > 0)
      .map((stream) => new Promise((resolve) => stream.write('', resolve))),
  );

let handler: Handler;

stack.on('message', async ({ event, deadline }: InvokeMessage) => {
  let answer: InstanceMessage;
  try {
    answer = {
      type: 'result',
      result: await handler(event, lambdaContext(functionName, deadline - Date.now())),
    };
  } catch (error) {
    answer = { type: 'error', error: toThrownError(error) };
  }
  flushCapacity();
  await outputHandedOn();
  answerThenFreeze(gate, () => post(answer));
});

try {
  ({ handler } = (await import(moduleUrl)) as { handler: Handler });
  // Listening already, so the invocation that follows the thaw is not missed.
  await outputHandedOn();
  answerThenFreeze(gate, () => post({ type: 'ready' }));
} catch (error) {
  // The stack stops this instance on reading it; exiting here could lose the message.
  post({ type: 'init-error', error: toThrownError(error) });
}

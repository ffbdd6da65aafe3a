/** The messages between a function instance (a worker thread, instance.ts) and the stack. */
import type { CapacityEvent } from '#shared/adapters/consumed-capacity.ts';

/** What the stack gives an instance when it starts it. */
export interface InstanceData {
  functionName: string;
  moduleUrl: string;
  /** Shared with the stack: whether the instance is frozen (see `freezeGate`). */
  gate: Int32Array;
}

/**
 * Lambda freezes an execution environment once it has answered (and after its init): nothing
 * in it runs, not its timers nor the callbacks of its sockets, until the next invocation thaws
 * it. An instance models this by blocking its thread on a shared word: it marks itself frozen
 * before it answers and waits while the word says so; the stack thaws it before sending the
 * next invocation. Marking before answering means a thaw that comes first is never missed.
 */
const FROZEN = 1;
const THAWED = 0;

export function freezeGate(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
}

/** In the instance: mark frozen, send the answer, then block until thawed. */
export function answerThenFreeze(gate: Int32Array, answer: () => void): void {
  Atomics.store(gate, 0, FROZEN);
  answer();
  Atomics.wait(gate, 0, FROZEN);
}

/** In the stack: let a frozen instance run again. */
export function thaw(gate: Int32Array): void {
  Atomics.store(gate, 0, THAWED);
  Atomics.notify(gate, 0);
}

/** Stack → instance: run one invocation, with the time its timeout falls. */
export interface InvokeMessage {
  event: unknown;
  deadline: number;
}

/** An error as it crosses the thread boundary. */
export interface ThrownError {
  name: string;
  message: string;
  stack?: string;
}

/** Instance → stack. */
export type InstanceMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: ThrownError }
  | { type: 'result'; result: unknown }
  | { type: 'error'; error: ThrownError }
  | { type: 'capacity'; events: CapacityEvent[] };

export function toThrownError(error: unknown): ThrownError {
  return error instanceof Error
    ? { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) }
    : { name: 'Error', message: String(error) };
}

export function fromThrownError({ name, message, stack }: ThrownError): Error {
  const error = new Error(message);
  error.name = name;
  if (stack) error.stack = stack;
  return error;
}

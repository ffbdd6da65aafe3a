/** The messages between a function instance (a worker thread, instance.ts) and the stack. */
import type { CapacityEvent } from '#shared/adapters/consumed-capacity.ts';

/** What the stack gives an instance when it starts it. */
export interface InstanceData {
  functionName: string;
  moduleUrl: string;
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

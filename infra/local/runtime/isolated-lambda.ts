import { Worker } from 'node:worker_threads';
import type { CapacityEvent } from '#shared/adapters/consumed-capacity.ts';
import { PROVISIONED_INITIALIZATION } from '#shared/provisioned-warm-up.ts';
import {
  freezeGate,
  fromThrownError,
  type InstanceData,
  type InstanceMessage,
  type InvokeMessage,
  thaw,
} from './instance-protocol.ts';
import {
  type LambdaDefinition,
  LambdaStoppedError,
  LambdaTimeoutError,
  type LocalLambda,
} from './local-lambda.ts';

/** An instance left idle this long is stopped, as Lambda reclaims idle execution environments. */
const IDLE_LIFETIME_MS = 10 * 60_000;
/** Instance entries in TypeScript need a loader; the handler's module may be a source too. */
const TYPESCRIPT_LOADER = ['--import', 'tsx'];

/** Receives what an instance's DynamoDB client reported on the consumed-capacity channel. */
export type CapacityListener = (events: CapacityEvent[]) => void;

/** A worker thread running one function's module, one invocation at a time. */
class Instance {
  private readonly worker: Worker;
  private readonly gate = freezeGate();
  /** Settles once the module is imported; rejects if it could not be. */
  readonly ready: Promise<void>;
  private answer: ((message: InstanceMessage) => void) | undefined;
  private ended: ((error: Error) => void) | undefined;
  /** Exited, or being stopped: takes no more invocations. */
  private stopped = false;
  /** Stopped on purpose (timeout, idle, the stack closing), not crashed. */
  private terminated = false;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    definition: LambdaDefinition,
    onCapacity: CapacityListener,
    onExit: () => void,
    private readonly provisioned: boolean,
  ) {
    const isSource = definition.moduleUrl.endsWith('.ts');
    this.worker = new Worker(new URL('./instance.ts', import.meta.url), {
      workerData: {
        functionName: definition.name,
        moduleUrl: definition.moduleUrl,
        gate: this.gate,
      } satisfies InstanceData,
      execArgv: [...(isSource ? TYPESCRIPT_LOADER : []), '--enable-source-maps'],
      // As Lambda tells each execution environment how it was initialized.
      env: {
        ...process.env,
        AWS_LAMBDA_INITIALIZATION_TYPE: provisioned ? PROVISIONED_INITIALIZATION : 'on-demand',
      },
      resourceLimits: { maxOldGenerationSizeMb: definition.memoryMb },
    });
    this.ready = new Promise((resolve, reject) => {
      this.answer = (message) => {
        if (message.type === 'ready') resolve();
        else if (message.type === 'init-error') reject(fromThrownError(message.error));
      };
      this.ended = reject;
    });
    this.worker.on('message', (message: InstanceMessage) => {
      if (message.type === 'capacity') onCapacity(message.events);
      else this.answer?.(message);
    });
    this.worker.on('error', (error) => this.ended?.(error));
    this.worker.on('exit', (code) => {
      this.stopped = true;
      clearTimeout(this.idleTimer);
      this.ended?.(
        this.terminated
          ? new LambdaStoppedError(definition.name)
          : new Error(`${definition.name}: the instance exited (code ${code})`),
      );
      onExit();
    });
  }

  get alive(): boolean {
    return !this.stopped;
  }

  /** Runs one invocation; past `timeoutMs` the instance is stopped and the invocation fails. */
  invoke(event: unknown, name: string, timeoutMs: number): Promise<unknown> {
    clearTimeout(this.idleTimer);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        settle();
        reject(new LambdaTimeoutError(name, timeoutMs));
        void this.stop();
      }, timeoutMs);
      const settle = () => {
        clearTimeout(timer);
        this.answer = undefined;
        this.ended = undefined;
      };
      this.answer = (message) => {
        settle();
        if (message.type === 'result') resolve(message.result);
        else if (message.type === 'error') reject(fromThrownError(message.error));
      };
      this.ended = (error) => {
        settle();
        reject(error);
      };
      thaw(this.gate);
      this.worker.postMessage({ event, deadline: Date.now() + timeoutMs } satisfies InvokeMessage);
    });
  }

  /** Keeps the instance warm for a while, then stops it; a provisioned one stays warm. */
  idle(): void {
    if (this.provisioned) return;
    this.idleTimer = setTimeout(() => void this.stop(), IDLE_LIFETIME_MS);
    this.idleTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.terminated = true;
    await this.worker.terminate();
  }
}

/**
 * A function whose invocations run in instances of their own (worker threads), as in Lambda:
 * module state is per instance, an instance runs one invocation at a time, at most `concurrency`
 * run at once (later invocations wait), a new one starts cold (imports the module), the warm one
 * used last is reused first, and one that times out is stopped, not left running. The
 * provisioned instances start before any invocation and are never reclaimed for idleness (one
 * that times out is replaced by a cold one, as Lambda spills over to on-demand instances).
 * Between invocations an instance is frozen (instance-protocol.ts), as in Lambda.
 */
export class IsolatedLambda implements LocalLambda {
  private readonly instances = new Set<Instance>();
  private readonly idle: Instance[] = [];
  private readonly waiting: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly definition: LambdaDefinition,
    private readonly onCapacity: CapacityListener,
  ) {}

  async provision(): Promise<void> {
    const { provisioned, concurrency } = this.definition;
    const starts = Array.from({ length: Math.min(provisioned, concurrency) }, () => this.start(true));
    for (const started of await Promise.allSettled(starts))
      if (started.status === 'fulfilled') this.release(started.value);
  }

  async invoke(event: unknown): Promise<unknown> {
    const instance = await this.acquire();
    try {
      return await instance.invoke(event, this.definition.name, this.definition.timeoutMs);
    } finally {
      this.release(instance);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.instances].map((instance) => instance.stop()));
  }

  private async acquire(): Promise<Instance> {
    for (;;) {
      if (this.closed) throw new LambdaStoppedError(this.definition.name);
      const warm = this.idle.pop();
      if (warm?.alive) return warm;
      if (warm) continue;
      if (this.instances.size < this.definition.concurrency) return this.start(false);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private async start(provisioned: boolean): Promise<Instance> {
    const instance = new Instance(
      this.definition,
      this.onCapacity,
      () => {
        this.instances.delete(instance);
        this.waiting.shift()?.();
      },
      provisioned,
    );
    this.instances.add(instance);
    try {
      await instance.ready;
      return instance;
    } catch (error) {
      await instance.stop();
      throw error;
    }
  }

  private release(instance: Instance): void {
    if (!instance.alive) return;
    instance.idle();
    this.idle.push(instance);
    this.waiting.shift()?.();
  }
}

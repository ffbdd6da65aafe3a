/**
 * The local stack's faithful Lambda runtime: instances in worker threads with their own module
 * state, one invocation each at a time up to the function's concurrency, cold starts, timeouts
 * that stop the work, errors and consumed capacity carried back to the stack.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createLocalLambda,
  type LambdaDefinition,
  type LambdaRuntime,
  LambdaTimeoutError,
  type LocalLambda,
  sourceModuleUrl,
} from '#infra/local/runtime/local-lambda.ts';
import type { CapacityEvent } from '#shared/adapters/consumed-capacity.ts';
import type { ProbeEvent } from '#test/support/lambda-fixtures/probe-handler.ts';

const FIXTURES = join(import.meta.dirname, '../support/lambda-fixtures');

let lambdas: LocalLambda[] = [];
let capacity: CapacityEvent[] = [];
let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'herald-lambda-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(lambdas.map((lambda) => lambda.close()));
  lambdas = [];
  capacity = [];
});

/** A local function running `fixture` (a module in lambda-fixtures/) in `runtime`. */
function localFunction(fixture: string, overrides: Partial<LambdaDefinition>, runtime: LambdaRuntime) {
  const lambda = createLocalLambda(
    {
      name: fixture,
      moduleUrl: sourceModuleUrl(join(FIXTURES, `${fixture}.ts`)),
      timeoutMs: 10_000,
      concurrency: 2,
      memoryMb: 256,
      provisioned: 0,
      ...overrides,
    },
    runtime,
    (events) => capacity.push(...events),
  );
  lambdas.push(lambda);
  return lambda;
}

function probe(overrides: Partial<LambdaDefinition> = {}, runtime: LambdaRuntime = 'faithful') {
  const lambda = localFunction('probe-handler', overrides, runtime);
  return Object.assign((event: ProbeEvent) => lambda.invoke(event), { provision: () => lambda.provision() });
}

/**
 * The lines holding `tag` that reach this process's stdout while `run` runs: where the stack's
 * function instances write their logs.
 */
async function stdoutLinesWith(tag: string, run: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const capture = vi.spyOn(process.stdout, 'write').mockImplementation((chunk, ...rest) => {
    const text = String(chunk);
    if (!text.includes(tag)) return write(chunk, ...(rest as []));
    lines.push(...text.split('\n').filter((line) => line.includes(tag)));
    return true;
  });
  try {
    await run();
  } finally {
    capture.mockRestore();
  }
  return lines;
}

describe('the faithful runtime', () => {
  it('gives each instance its own module state and reuses a warm instance', async () => {
    const invoke = probe();

    // Two at once: two instances, each counting its first invocation.
    expect(await Promise.all([invoke({ action: 'count' }), invoke({ action: 'count' })])).toEqual([1, 1]);
    // One after the other: a warm instance again, counting on.
    expect(await invoke({ action: 'count' })).toBe(2);
  });

  it('runs no more invocations at once than the concurrency; the others wait for an instance', async () => {
    const invoke = probe({ concurrency: 1 });

    const runs = (await Promise.all([
      invoke({ action: 'wait', ms: 300 }),
      invoke({ action: 'wait', ms: 300 }),
    ])) as { startedAt: number; endedAt: number }[];

    const [first, second] = runs.sort((a, b) => a.startedAt - b.startedAt);
    expect(second?.startedAt).toBeGreaterThanOrEqual(first?.endedAt ?? Number.POSITIVE_INFINITY);
    expect(await invoke({ action: 'count' })).toBe(3);
  });

  it('stops an instance that runs past its timeout: its work does not go on, the next invocation starts cold', async () => {
    const invoke = probe({ timeoutMs: 500 });
    const file = join(scratch, 'late-write');
    expect(await invoke({ action: 'count' })).toBe(1);

    await expect(invoke({ action: 'write-after', ms: 1_000, file })).rejects.toThrow(LambdaTimeoutError);
    await sleep(1_000);

    expect(existsSync(file)).toBe(false);
    expect(await invoke({ action: 'count' })).toBe(1);
  });

  it('freezes an instance between invocations: work left running waits for the next one', async () => {
    const invoke = probe();
    const file = join(scratch, 'background-write');

    expect(await invoke({ action: 'write-in-background', ms: 100, file })).toBe('answered');
    await sleep(1_000);
    expect(existsSync(file)).toBe(false);

    await invoke({ action: 'wait', ms: 300 });
    expect(existsSync(file)).toBe(true);
  });

  it('starts the timeout with the invocation, not the cold start, and tells the handler the time left', async () => {
    const invoke = probe({ timeoutMs: 3_000 });

    const first = (await invoke({ action: 'context' })) as { requestId: string; remainingMs: number };
    const second = (await invoke({ action: 'context' })) as { requestId: string; remainingMs: number };

    expect(first.remainingMs).toBeGreaterThan(2_500);
    expect(first.remainingMs).toBeLessThanOrEqual(3_000);
    expect(second.requestId).not.toBe(first.requestId);
  });

  it('initializes a provisioned instance before the first invocation, and only then', async () => {
    const provisioned = probe({ provisioned: 1 });
    const onDemand = probe();

    await Promise.all([provisioned.provision(), onDemand.provision()]);
    // Apart from the provisioning by a clear margin: a module loads within the same millisecond.
    await sleep(50);
    const invokedAt = Date.now();

    expect(await provisioned({ action: 'loaded-at' })).toBeLessThan(invokedAt);
    expect(await onDemand({ action: 'loaded-at' })).toBeGreaterThanOrEqual(invokedAt);
  });

  it('tells each instance how it was initialized, as Lambda does: provisioned or on demand', async () => {
    const lambda = probe({ provisioned: 1, concurrency: 2 });
    await lambda.provision();

    expect(await lambda({ action: 'initialization-type' })).toBe('provisioned-concurrency');
    // While the provisioned instance is busy, the next invocation starts one on demand.
    const busy = lambda({ action: 'wait', ms: 100 });
    expect(await lambda({ action: 'initialization-type' })).toBe('on-demand');
    await busy;
  });

  it("rejects with the handler's error, and the instance serves the next invocation", async () => {
    const invoke = probe();

    await expect(invoke({ action: 'fail' })).rejects.toMatchObject({
      name: 'RangeError',
      message: 'the probe failed on purpose',
    });
    expect(await invoke({ action: 'count' })).toBe(2);
  });

  it('rejects with the error a module throws while it loads', async () => {
    const lambda = localFunction('failing-init-handler', { concurrency: 1 }, 'faithful');

    await expect(lambda.invoke({})).rejects.toThrow('FLIGHTS_TABLE is not set');
  });

  it("carries an instance's consumed-capacity reports back to the stack", async () => {
    const invoke = probe();

    await invoke({ action: 'report-capacity' });

    expect(capacity).toEqual([
      { kind: 'units', units: 'write', amount: 2 },
      {
        kind: 'item',
        itemKey: 'deliveries broadcastId=B1',
        partitionKey: 'deliveries B1',
        at: expect.any(Number),
      },
    ]);
  });

  it('hands on everything an invocation logged before it answers, as Lambda does, though the instance stops at once', async () => {
    const lambda = localFunction('probe-handler', {}, 'faithful');
    const tag = `probe-log-${Date.now()}`;

    const logged = await stdoutLinesWith(tag, async () => {
      await lambda.invoke({ action: 'log', lines: 2_000, tag });
      await lambda.close();
    });

    expect(logged).toHaveLength(2_000);
  });
});

describe('the in-process runtime', () => {
  it('shares module state between invocations, however many run at once', async () => {
    const invoke = probe({}, 'in-process');

    expect((await Promise.all([invoke({ action: 'count' }), invoke({ action: 'count' })])).sort()).toEqual([
      1, 2,
    ]);
  });
});

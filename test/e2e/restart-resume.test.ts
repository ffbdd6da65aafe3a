/**
 * `kill -9` of the whole local stack (Herald and its DynamoDB Local) twice during a broadcast of
 * about 500 SMS at 50 SMS/s, each time started again on the same HERALD_DATA_DIR. The
 * provider sandboxes run in a process of their own, as a real provider outlives Herald: they
 * keep what they accepted in the instant before each kill, and retry the delivery receipts
 * Herald was not there to take. Every passenger gets exactly one SMS, counted per phone.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoWindow, expectedDemoPhones } from '#test/support/demo-audience.ts';
import { heraldApi, operatorUsersFile } from '#test/support/herald-api.ts';
import { killHard, startHerald } from '#test/support/herald-process.ts';
import { eventually, sandboxMessages } from '#test/support/local-stack.ts';
import {
  type SandboxProcess,
  startSandboxProcess,
  stopSandboxProcess,
} from '#test/support/sandbox-process.ts';

/**
 * About 500 of them may be texted (consent and a valid number): twenty batches of 25, several of
 * them in flight at each kill. More recipients add only time (1,250 took 140 s in CI and 5,000
 * took 450 s, most of it seeding, planning and sending on a loaded machine), not another way to
 * lose or double an SMS.
 */
const CUSTOMERS = 600;
/** Slow enough that the second kill, at 70%, still lands seconds before the last SMS (150 at 50/s). */
const SMS_PER_SECOND = 50;

/**
 * A port free now, so every start of the stack takes the same one (Twilio's callbacks name it),
 * from below Linux's ephemeral range: no port-0 bind of a test running beside this one takes it.
 */
async function fixedPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const server = createServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (free) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return port;
    }
  }
}

describe('kill -9 of the local stack mid-broadcast, twice', () => {
  let sandboxes: SandboxProcess;
  let dir: string;
  let running: ChildProcess | undefined;

  beforeAll(async () => {
    sandboxes = await startSandboxProcess();
    dir = await mkdtemp(join(tmpdir(), 'herald-restart-'));
  });
  afterAll(async () => {
    if (running) await killHard(running);
    if (sandboxes) await stopSandboxProcess(sandboxes);
    await rm(dir, { recursive: true, force: true });
  });

  it('finishes after each restart with no passenger missed and none texted twice, and takes the receipts sent meanwhile', async () => {
    const users = await operatorUsersFile(dir);
    const env = {
      HERALD_PORT: String(await fixedPort()),
      HERALD_DYNAMODB_PORT: '0',
      HERALD_SANDBOX_TWILIO_PORT: '0',
      HERALD_SANDBOX_X_PORT: '0',
      HERALD_SANDBOX_FACEBOOK_PORT: '0',
      HERALD_DATA_DIR: join(dir, 'data'),
      HERALD_USERS_FILE: users.path,
      HERALD_TWILIO_URL: sandboxes.twilioUrl,
      HERALD_X_URL: sandboxes.xUrl,
      HERALD_FACEBOOK_URL: sandboxes.facebookUrl,
      HERALD_SMS_MPS: String(SMS_PER_SECOND),
      HERALD_SWEEP_STALL_SECONDS: '3',
      // A lease covers one provider call: shorter calls, shorter leases, and a dead holder's records return sooner.
      HERALD_PROVIDER_TIMEOUT_MS: '2000',
      // Receipts lost while Herald was down or overloaded are asked of Twilio 5 s after the end.
      HERALD_RECEIPT_GRACE_SECONDS: '5',
      HERALD_SMS_BATCH_SIZE: '25',
      HERALD_SEED: 'demo',
      HERALD_DEMO_CUSTOMERS: String(CUSTOMERS),
      // A kill -9 ends every function at once in either runtime; in process the 2-core CI machine
      // spends its time on the broadcast rather than on the instances' cold starts after each restart.
      HERALD_LAMBDA_RUNTIME: 'in-process',
    };
    const window = demoWindow();
    const expected = expectedDemoPhones('HEL', window.start, window.end, CUSTOMERS);
    expect(expected.length).toBeGreaterThanOrEqual(400);

    const startedAt = Date.now();
    const seconds = () => ((Date.now() - startedAt) / 1000).toFixed(0);
    const phases: string[] = [];
    let herald = await startHerald(env);
    phases.push(`started ${seconds()} s`);
    running = herald.child;
    const api = heraldApi(() => herald.apiUrl, users.key);
    const id = await api.smsBroadcast('HEL', window);
    const reached = async () => {
      const sms = (await api.broadcast(id)).counts.sms;
      return (sms?.sent ?? 0) + (sms?.delivered ?? 0);
    };

    const acceptedAtKill: number[] = [];
    for (const share of [0.3, 0.7]) {
      await eventually(
        async () => ((await reached()) >= share * expected.length ? true : undefined),
        240_000,
      );
      await killHard(herald.child);
      acceptedAtKill.push((await sandboxMessages(sandboxes.twilioUrl)).length);
      phases.push(`killed ${seconds()} s`);
      herald = await startHerald({ ...env, HERALD_SEED: 'none' });
      running = herald.child;
      phases.push(`restarted ${seconds()} s`);
    }
    const done = await eventually(async () => {
      const broadcast = await api.broadcast(id);
      const sms = broadcast.counts.sms;
      return broadcast.status === 'completed' && sms?.delivered === sms?.recipients ? broadcast : undefined;
    }, 240_000);

    const perPhone = new Map<string, number>();
    for (const message of await sandboxMessages(sandboxes.twilioUrl)) {
      const to = String(message.request.body.To);
      perPhone.set(to, (perPhone.get(to) ?? 0) + 1);
    }
    const duplicates = [...perPhone.values()].reduce((sum, count) => sum + count - 1, 0);
    console.info(
      `kill -9 at ${acceptedAtKill.join(' and ')} of ${expected.length} SMS at ${SMS_PER_SECOND}/s: ` +
        `${perPhone.size} phones texted, ${duplicates} duplicates, ${done.counts.sms?.attempts} attempts; ` +
        `${phases.join(', ')}, done ${seconds()} s`,
    );
    expect(acceptedAtKill[0]).toBeLessThan(acceptedAtKill[1] ?? 0);
    expect(acceptedAtKill[1]).toBeLessThan(expected.length);
    expect([...perPhone.keys()].sort()).toEqual(expected);
    expect(duplicates).toBe(0);
    expect(done.counts.sms).toMatchObject({
      recipients: expected.length,
      delivered: expected.length,
      sent: 0,
      failed: 0,
      queued: 0,
      duplicatesSuspected: 0,
    });
  }, 900_000);
});

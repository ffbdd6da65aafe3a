/**
 * Several SMS broadcasts at once through one slow shared rate (a long code at 1 SMS/s), with
 * the sweeper calling a broadcast stalled after 2 s: records wait long on the rate limiter, the
 * sweeper keeps publishing them again, and still every passenger gets exactly one SMS of each
 * broadcast, counted per phone in the Twilio sandbox.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoWindow, expectedDemoPhones } from '#test/support/demo-audience.ts';
import { heraldApi, operatorUsersFile } from '#test/support/herald-api.ts';
import { startHerald, stopHerald } from '#test/support/herald-process.ts';
import { eventually, sandboxMessages } from '#test/support/local-stack.ts';

const window = demoWindow();

/** Per phone, how many SMS each should get: one per broadcast whose audience holds it. */
function expectedPerPhone(airports: string[]): Map<string, number> {
  const expected = new Map<string, number>();
  for (const airport of airports)
    for (const phone of expectedDemoPhones(airport, window.start, window.end))
      expected.set(phone, (expected.get(phone) ?? 0) + 1);
  return expected;
}

describe('concurrent broadcasts on one slow shared rate', () => {
  let running: ChildProcess | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    if (running) await stopHerald(running);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function broadcastAtOnce(smsPerSecond: number, airports: string[]) {
    dir = await mkdtemp(join(tmpdir(), 'herald-concurrent-'));
    const users = await operatorUsersFile(dir);
    const herald = await startHerald({
      HERALD_PORT: '0',
      HERALD_DYNAMODB_PORT: '0',
      HERALD_SANDBOX_TWILIO_PORT: '0',
      HERALD_SANDBOX_X_PORT: '0',
      HERALD_SANDBOX_FACEBOOK_PORT: '0',
      HERALD_USERS_FILE: users.path,
      HERALD_SMS_MPS: String(smsPerSecond),
      HERALD_SWEEP_STALL_SECONDS: '2',
      HERALD_SEED: 'demo',
    });
    running = herald.child;
    const api = heraldApi(() => herald.apiUrl, users.key);
    const ids = await Promise.all(airports.map((airport) => api.smsBroadcast(airport, window)));
    const done = await Promise.all(
      ids.map((id) =>
        eventually(async () => {
          const broadcast = await api.broadcast(id);
          return broadcast.status === 'completed' ? broadcast : undefined;
        }, 120_000),
      ),
    );
    const received = new Map<string, number>();
    for (const message of await sandboxMessages(herald.twilioUrl)) {
      const to = String(message.request.body.To);
      received.set(to, (received.get(to) ?? 0) + 1);
    }
    return { done, received };
  }

  it('two broadcasts at 1 SMS/s: every passenger gets exactly one SMS of each', async () => {
    const airports = ['OUL', 'TLL'];
    const { done, received } = await broadcastAtOnce(1, airports);

    expect(received).toEqual(expectedPerPhone(airports));
    for (const [index, broadcast] of done.entries()) {
      const phones = expectedDemoPhones(airports[index] ?? '', window.start, window.end).length;
      expect(broadcast.counts.sms).toMatchObject({
        recipients: phones,
        queued: 0,
        failed: 0,
        duplicatesSuspected: 0,
      });
    }
  }, 180_000);

  it('three broadcasts at 2 SMS/s: every passenger gets exactly one SMS of each', async () => {
    const airports = ['OUL', 'TLL', 'OSL'];
    const { done, received } = await broadcastAtOnce(2, airports);

    expect(received).toEqual(expectedPerPhone(airports));
    for (const broadcast of done) expect(broadcast.counts.sms?.duplicatesSuspected).toBe(0);
  }, 180_000);
});

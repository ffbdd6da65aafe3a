import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '#infra/local/sandboxes/index.ts';
import { startTwilioSandbox } from '#infra/local/sandboxes/index.ts';
import { LOCAL_TWILIO_AUTH_TOKEN } from '#infra/local/stack.ts';
import type { Broadcast, Incident } from '#shared/domain/model.ts';
import { demoWindow, expectedDemoPhones } from '#test/support/demo-audience.ts';
import { killHard, startHerald } from '#test/support/herald-process.ts';
import { eventually, sandboxMessages } from '#test/support/local-stack.ts';

describe('stopping the local stack mid-broadcast', () => {
  let twilio: RunningSandbox;
  let dataDir: string;
  let running: ChildProcess | undefined;
  const key = `hk_test_${randomBytes(12).toString('hex')}`;

  beforeAll(async () => {
    // The provider outlives the restarts, as a real one would.
    twilio = await startTwilioSandbox({ port: 0, authToken: LOCAL_TWILIO_AUTH_TOKEN });
    dataDir = await mkdtemp(join(tmpdir(), 'herald-restart-'));
    await writeFile(
      join(dataDir, 'users.json'),
      JSON.stringify([{ key, user: 'olli.operator', role: 'operator' }]),
    );
  });
  afterAll(async () => {
    if (running) await killHard(running);
    await twilio?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('finishes the broadcast after a kill -9 and a restart, losing nobody', async () => {
    const env = {
      HERALD_PORT: '0',
      HERALD_DYNAMODB_PORT: '0',
      HERALD_SANDBOX_TWILIO_PORT: '0',
      HERALD_SANDBOX_X_PORT: '0',
      HERALD_SANDBOX_FACEBOOK_PORT: '0',
      HERALD_DATA_DIR: join(dataDir, 'data'),
      HERALD_USERS_FILE: join(dataDir, 'users.json'),
      HERALD_TWILIO_URL: twilio.url,
      HERALD_SMS_MPS: '10',
      HERALD_SEED: 'demo',
    };
    const first = await startHerald(env);
    running = first.child;
    const call = async <T>(apiUrl: string, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return (await response.json()) as T;
    };
    const window = demoWindow();
    const incident = await call<Incident>(first.apiUrl, 'POST', '/incidents', {
      type: 'strike',
      title: 'Strike at Helsinki Airport',
      severity: 'severe',
      window,
      scope: { airports: ['HEL'] },
    });
    const { id } = await call<{ id: string }>(first.apiUrl, 'POST', `/incidents/${incident.id}/broadcasts`, {
      templateId: 'strike-disruption',
      channels: ['sms'],
    });

    await eventually(async () => ((await sandboxMessages(twilio.url)).length >= 15 ? true : undefined));
    await killHard(first.child);
    const beforeRestart = (await sandboxMessages(twilio.url)).length;

    const second = await startHerald(env);
    running = second.child;
    const done = await eventually(async () => {
      const broadcast = await call<Broadcast>(second.apiUrl, 'GET', `/broadcasts/${id}`);
      return broadcast.status === 'completed' ? broadcast : undefined;
    }, 90_000);

    const received = (await sandboxMessages(twilio.url)).map((message) => String(message.request.body.To));
    const unique = new Set(received);
    const duplicates = received.length - unique.size;
    console.info(
      `restart: ${beforeRestart} SMS before the kill, ${received.length} in all for ${unique.size} recipients, ${duplicates} duplicates`,
    );
    expect(beforeRestart).toBeLessThan(unique.size);
    expect([...unique].sort()).toEqual(expectedDemoPhones('HEL', window.start, window.end));
    // Only a send in flight at the kill can repeat: at most one per concurrent SMS worker.
    expect(duplicates).toBeLessThanOrEqual(2);
    expect(done.counts.sms?.recipients).toBe(unique.size);
  }, 180_000);
});

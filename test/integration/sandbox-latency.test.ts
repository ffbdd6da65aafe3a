/**
 * The sandboxes' latency profile (HERALD_SANDBOX_LATENCY): each request to a provider's API waits
 * a time drawn from its sandbox's range, on top of the faults' fixed latency, while the
 * `/__sandbox/*` control routes answer at once; a bad profile stops the sandboxes and the stack
 * at start with the variable's name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_TWILIO_ACCOUNT_SID, LOCAL_TWILIO_AUTH_TOKEN } from '#infra/local/sandboxes/credentials.ts';
import { type Sandboxes, startSandboxes } from '#infra/local/sandboxes/index.ts';
import { startHerald } from '#test/support/herald-process.ts';
import {
  type SandboxProcess,
  startSandboxProcess,
  stopSandboxProcess,
} from '#test/support/sandbox-process.ts';

/**
 * Above the drawn delay: the HTTP round trip on a loaded machine (two cores running DynamoDB Local
 * and other suites). The lower bound has none; "no latency" is asserted on the fastest request, as
 * a latency would hold back every one.
 */
const UPPER_TOLERANCE_MS = 250;
const REQUESTS = 6;

let sent = 0;

/** One Twilio Messages call; resolves to its round trip in ms. */
async function timeTwilioSend(twilioUrl: string): Promise<number> {
  sent += 1;
  const started = performance.now();
  const response = await fetch(`${twilioUrl}/2010-04-01/Accounts/${LOCAL_TWILIO_ACCOUNT_SID}/Messages.json`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${LOCAL_TWILIO_ACCOUNT_SID}:${LOCAL_TWILIO_AUTH_TOKEN}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ To: '+358401234567', From: '+15005550006', Body: `Latency ${sent}` }),
  });
  await response.arrayBuffer();
  expect(response.status).toBe(201);
  return performance.now() - started;
}

async function timeGet(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  return performance.now() - started;
}

async function timeEach(count: number, request: () => Promise<number>): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < count; index++) times.push(await request());
  return times;
}

describe('the standalone sandboxes with HERALD_SANDBOX_LATENCY', () => {
  let sandboxes: SandboxProcess;
  beforeAll(async () => {
    sandboxes = await startSandboxProcess({ HERALD_SANDBOX_LATENCY: 'twilio=150-300,x=60-80' });
  });
  afterAll(async () => {
    await stopSandboxProcess(sandboxes);
  });

  it('answers every Twilio Messages call within 150–300 ms, drawn anew for each call', async () => {
    await timeTwilioSend(sandboxes.twilioUrl); // the connection and the first compile, not the sandbox's latency
    const times = await timeEach(REQUESTS, () => timeTwilioSend(sandboxes.twilioUrl));

    for (const time of times) {
      expect(time).toBeGreaterThanOrEqual(150);
      expect(time).toBeLessThanOrEqual(300 + UPPER_TOLERANCE_MS);
    }
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(20);
  });

  it('gives X its own range and Facebook none', async () => {
    const xTimes = await timeEach(3, () => timeGet(`${sandboxes.xUrl}/2/users/me`));
    const facebookTimes = await timeEach(3, () => timeGet(`${sandboxes.facebookUrl}/v21.0/1/feed`));

    for (const time of xTimes) {
      expect(time).toBeGreaterThanOrEqual(60);
      expect(time).toBeLessThanOrEqual(80 + UPPER_TOLERANCE_MS);
    }
    expect(Math.min(...facebookTimes)).toBeLessThan(60);
  });

  it('answers the /__sandbox control routes without the latency', async () => {
    const times = await timeEach(3, () => timeGet(`${sandboxes.twilioUrl}/__sandbox/messages`));

    expect(Math.min(...times)).toBeLessThan(150);
  });
});

describe('the in-stack sandboxes with a latency profile', () => {
  let sandboxes: Sandboxes;
  beforeAll(async () => {
    sandboxes = await startSandboxes({
      twilioPort: 0,
      xPort: 0,
      facebookPort: 0,
      twilioAuthToken: LOCAL_TWILIO_AUTH_TOKEN,
      latency: { twilio: { minMs: 100, maxMs: 120 } },
    });
  });
  afterAll(async () => {
    await sandboxes.close();
  });

  it("adds the faults' fixed latencyMs to the drawn one, and keeps the range when the faults are cleared", async () => {
    const faults = (body: unknown) =>
      fetch(`${sandboxes.twilio.url}/__sandbox/faults`, { method: 'POST', body: JSON.stringify(body) });
    await faults({ latencyMs: 200 });
    const composed = await timeEach(3, () => timeTwilioSend(sandboxes.twilio.url));
    await faults({});
    const rangeOnly = await timeEach(3, () => timeTwilioSend(sandboxes.twilio.url));

    for (const time of composed) {
      expect(time).toBeGreaterThanOrEqual(300);
      expect(time).toBeLessThanOrEqual(320 + UPPER_TOLERANCE_MS);
    }
    for (const time of rangeOnly) {
      expect(time).toBeGreaterThanOrEqual(100);
      expect(time).toBeLessThanOrEqual(120 + UPPER_TOLERANCE_MS);
    }
    // Were the 200 ms still there, none could be under 300 ms.
    expect(Math.min(...rangeOnly)).toBeLessThan(300);
  });
});

describe('a bad HERALD_SANDBOX_LATENCY', () => {
  it('stops the standalone sandboxes at start, naming the variable', async () => {
    await expect(startSandboxProcess({ HERALD_SANDBOX_LATENCY: 'twilio=300-150' })).rejects.toThrow(
      /Cannot start the sandboxes: .*HERALD_SANDBOX_LATENCY: 'twilio=300-150': the minimum is above the maximum/,
    );
  });

  it('stops the local stack at start, naming the variable', async () => {
    await expect(
      startHerald({ HERALD_SANDBOX_LATENCY: 'sms=150-300', HERALD_PORT: '0', HERALD_SEED: 'none' }),
    ).rejects.toThrow(/Cannot start Herald: .*HERALD_SANDBOX_LATENCY: 'sms' is not a sandbox/);
  });
});

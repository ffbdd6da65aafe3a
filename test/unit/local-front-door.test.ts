import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ApiHandler, startHttpServer } from '#infra/local/http-server.ts';
import { LocalObjectStore } from '#infra/local/object-store.ts';
import { platformLogger } from '#infra/local/platform-log.ts';
import { LambdaStoppedError } from '#infra/local/runtime/local-lambda.ts';

let server: Server | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await new Promise((done) => server?.close(done));
  server = undefined;
});

/** The local front door with one route's handler, the status callback's. */
async function frontDoorWith(statusWebhook: ApiHandler) {
  const started = await startHttpServer({
    port: 0,
    handlers: new Map([['twilio-status-webhook', statusWebhook]]),
    users: [],
    site: new LocalObjectStore(join(tmpdir(), 'herald-front-door-unused')),
  });
  server = started.server;
  return (body: string) =>
    fetch(`${started.url}/webhooks/twilio/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
}

describe('the local front door', () => {
  it('answers 503 without logging a fault for a request whose function the closing stack stopped', async () => {
    const logged = vi.spyOn(platformLogger, 'error');
    const post = await frontDoorWith(async () => {
      throw new LambdaStoppedError('twilio-status-webhook');
    });

    const response = await post('MessageStatus=delivered');

    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 503, detail: 'The local stack is stopping.' });
    expect(logged).not.toHaveBeenCalled();
  });

  it('still logs any other fault of a function as the front door failing', async () => {
    const logged = vi.spyOn(platformLogger, 'error').mockImplementation(() => undefined);
    const post = await frontDoorWith(async () => {
      throw new Error('handler crashed');
    });

    const response = await post('MessageStatus=delivered');

    expect(response.status).toBe(500);
    expect(logged).toHaveBeenCalledWith('Front door failed', expect.anything());
  });
});

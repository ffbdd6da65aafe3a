import { describe, expect, it } from 'vitest';
import { PublishQueue } from '#shared/messaging/publish-queue.ts';
import type { Fanout } from '#shared/ports/stores.ts';

/** A fanout whose requests stay out until `answer` is called, recording what each carried. */
function heldFanout() {
  const requests: { target: string; messages: object[]; answer: (error?: Error) => void }[] = [];
  const fanout: Fanout = {
    publish: () => Promise.reject(new Error('publish is not used')),
    publishMany: (target, messages) =>
      new Promise<void>((resolve, reject) => {
        requests.push({ target, messages, answer: (error) => (error ? reject(error) : resolve()) });
      }),
  };
  return { fanout, requests };
}

/** The SMS batch message numbered `n`. */
const batch = (n: number) => ({ broadcastId: 'b-1', customerIds: [`c-${n}`] });

/** Lets the queue's pending promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('PublishQueue', () => {
  it('publishes the first message alone at once, and those added meanwhile together in the next request', async () => {
    const { fanout, requests } = heldFanout();
    const queue = new PublishQueue(fanout, 'sms');

    await queue.add(batch(1));
    await queue.add(batch(2));
    await queue.add(batch(3));
    expect(requests.map(({ messages }) => messages)).toEqual([[batch(1)]]);

    requests[0]?.answer();
    await settle();
    expect(requests.map(({ target, messages }) => [target, messages])).toEqual([
      ['sms', [batch(1)]],
      ['sms', [batch(2), batch(3)]],
    ]);
    requests[1]?.answer();
    await queue.drain();
  });

  it('drain waits for every message added to be published', async () => {
    const { fanout, requests } = heldFanout();
    const queue = new PublishQueue(fanout, 'sms');
    await queue.add(batch(1));
    let drained = false;

    const draining = queue.drain().then(() => {
      drained = true;
    });
    await settle();
    expect(drained).toBe(false);

    requests[0]?.answer();
    await draining;
    expect(drained).toBe(true);
  });

  it('makes add wait for the request out once as many messages wait as it keeps', async () => {
    const { fanout, requests } = heldFanout();
    const queue = new PublishQueue(fanout, 'sms', 2);
    await queue.add(batch(1));
    await queue.add(batch(2));
    let added = false;

    const adding = queue.add(batch(3)).then(() => {
      added = true;
    });
    await settle();
    expect(added).toBe(false);

    requests[0]?.answer();
    await settle();
    requests[1]?.answer();
    await adding;
    expect(added).toBe(true);
  });

  it('a failed request fails the next add and drain', async () => {
    const { fanout, requests } = heldFanout();
    const queue = new PublishQueue(fanout, 'sms');
    await queue.add(batch(1));

    requests[0]?.answer(new Error('SNS unavailable'));
    await settle();

    await expect(queue.add(batch(2))).rejects.toThrow('SNS unavailable');
    await expect(queue.drain()).rejects.toThrow('SNS unavailable');
  });
});

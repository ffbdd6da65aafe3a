import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '#infra/local/object-store.ts';

let directory: string | undefined;
afterEach(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('LocalObjectStore', () => {
  it('lets a reader see the old object or the new one while it is rewritten, never part of one', async () => {
    directory = await mkdtemp(join(tmpdir(), 'herald-objects-'));
    const store = new LocalObjectStore(directory);
    await store.init();
    const versions = ['a', 'b', 'c', 'd'].map((letter) => Buffer.alloc(2_000_000, letter));
    await store.put('status.json', versions[0] as Buffer, 'application/json');

    const writes = (async () => {
      for (let round = 0; round < 20; round++) {
        await store.put('status.json', versions[round % versions.length] as Buffer, 'application/json');
      }
    })();
    let reads = 0;
    let writing = true;
    void writes.finally(() => {
      writing = false;
    });
    while (writing) {
      const object = await store.get('status.json');
      expect(object?.contentType).toBe('application/json');
      const body = object?.body ?? Buffer.alloc(0);
      expect(body.length).toBe(2_000_000);
      expect(body.every((byte) => byte === body[0])).toBe(true);
      reads++;
    }
    await writes;

    expect(reads).toBeGreaterThan(0);
    expect(await readdir(directory)).toEqual(['status.json', 'status.json.meta.json']);
  });
});

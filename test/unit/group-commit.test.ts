import { describe, expect, it } from 'vitest';
import { GroupCommit } from '#shared/adapters/dynamodb/group-commit.ts';

/** A writer that records each request and applies every entry but those named in `refused`. */
function recordingWriter(refused: string[] = []) {
  const requests: string[][] = [];
  let release: () => void = () => undefined;
  let gate = Promise.resolve();
  return {
    requests,
    /** Holds the next request until `open()`, so entries pile up behind it. */
    hold() {
      gate = new Promise((resolve) => {
        release = resolve;
      });
    },
    open: () => release(),
    write: async (entries: string[]) => {
      requests.push(entries);
      await gate;
      return entries.filter((entry) => !refused.includes(entry));
    },
  };
}

describe('GroupCommit', () => {
  it('writes an entry at once when idle, and the entries that arrive meanwhile together in one request', async () => {
    const writer = recordingWriter();
    const group = new GroupCommit(writer.write, 10);
    writer.hold();
    const first = group.submit('a');
    const rest = ['b', 'c', 'd'].map((entry) => group.submit(entry));
    writer.open();
    expect(await Promise.all([first, ...rest])).toEqual([true, true, true, true]);
    expect(writer.requests).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('answers false for an entry the write did not apply, true for the others in its request', async () => {
    const writer = recordingWriter(['b']);
    const group = new GroupCommit(writer.write, 10);
    writer.hold();
    const first = group.submit('a');
    const second = group.submit('b');
    const third = group.submit('c');
    writer.open();
    expect(await Promise.all([first, second, third])).toEqual([true, false, true]);
  });

  it('never puts two entries for the same key, or more than the maximum, in one request', async () => {
    const writer = recordingWriter();
    const group = new GroupCommit(writer.write, 2, (entry: string) => entry.slice(0, 1));
    writer.hold();
    const all = [
      group.submit('x0'),
      group.submit('a1'),
      group.submit('a2'),
      group.submit('b1'),
      group.submit('c1'),
    ];
    writer.open();
    await Promise.all(all);
    expect(writer.requests).toEqual([['x0'], ['a1', 'b1'], ['a2', 'c1']]);
  });

  it('rejects every entry of a failed request and goes on with the next', async () => {
    let calls = 0;
    const group = new GroupCommit(async (entries: string[]) => {
      calls++;
      if (calls === 1) throw new Error('DynamoDB is down');
      return entries;
    }, 10);
    await expect(group.submit('a')).rejects.toThrow('DynamoDB is down');
    await expect(group.submit('b')).resolves.toBe(true);
  });
});

/**
 * The `next` cursor of a list: the DynamoDB key a page stopped at (its LastEvaluatedKey, or the
 * key of its last item), encoded so clients treat it as opaque and pass it back as it was.
 */
import { createHash } from 'node:crypto';
import { InvalidCursorError } from '#shared/domain/errors.ts';

export type CursorKey = Record<string, string | number>;

/**
 * Which key a cursor must hold: exactly these attributes, and the partition the list reads (or
 * one of the partitions, for a list read across several: a sharded broadcast's records).
 */
export interface CursorShape {
  attributes: readonly string[];
  partition: Record<string, string | readonly string[]>;
  /** Attributes that must begin with a value: a list narrowed to a sort key prefix (one channel). */
  prefixes?: Record<string, string>;
}

/**
 * Catches a cursor edited or cut short on the way back. Not a secret: a cursor forged with it
 * could only start the same list (the partition is checked) from another point.
 */
const checksum = (json: string) =>
  createHash('sha256').update(`herald-cursor:${json}`).digest('base64url').slice(0, 16);

function parsed(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

export function encodeCursor(key: CursorKey): string {
  const json = JSON.stringify(key);
  return `${Buffer.from(json).toString('base64url')}.${checksum(json)}`;
}

/** The key a cursor holds; InvalidCursorError (a 400) for one Herald did not issue for this list. */
export function decodeCursor(cursor: string, shape: CursorShape): CursorKey {
  const [encoded = '', sum, ...rest] = cursor.split('.');
  const json = Buffer.from(encoded, 'base64url').toString('utf8');
  if (rest.length > 0 || sum !== checksum(json))
    throw new InvalidCursorError('The `next` cursor is not one Herald issued, or it was changed.');
  const key = parsed(json);
  const fits =
    typeof key === 'object' &&
    key !== null &&
    Object.keys(key).sort().join() === [...shape.attributes].sort().join() &&
    Object.values(key).every((value) => typeof value === 'string' || typeof value === 'number') &&
    Object.entries(shape.partition).every(([name, value]) =>
      typeof value === 'string'
        ? (key as CursorKey)[name] === value
        : value.includes(String((key as CursorKey)[name])),
    ) &&
    Object.entries(shape.prefixes ?? {}).every(([name, prefix]) =>
      String((key as CursorKey)[name]).startsWith(prefix),
    );
  if (!fits) throw new InvalidCursorError('The `next` cursor belongs to another list.');
  return key as CursorKey;
}

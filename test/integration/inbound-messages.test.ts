/**
 * Replayed webhooks (issue 16, finding 7) against DynamoDB Local: the ledger of inbound
 * MessageSids keeps each message's first arrival, and a customer's opt change is recorded only
 * over an older one, so a replayed START cannot undo a later STOP.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDynamoDb } from '#infra/local/dynamodb-local.ts';
import type { Customer } from '#shared/domain/model.ts';
import type {
  CustomerDirectory,
  CustomerWriter,
  InboundMessageLedger,
  OptChangeRecorder,
} from '#shared/ports/stores.ts';
import { aCustomer } from '#test/support/builders.ts';
import { startTestDynamoDb } from '#test/support/dynamodb-local.ts';

let dynamoDb: RunningDynamoDb;
let ledger: InboundMessageLedger;
let customers: CustomerDirectory & CustomerWriter & OptChangeRecorder;
let storedMessage: (messageSid: string) => Promise<Record<string, unknown> | undefined>;

beforeAll(async () => {
  dynamoDb = await startTestDynamoDb();
  const { DynamoInboundMessageLedger } = await import('#shared/adapters/dynamodb/inbound-message-ledger.ts');
  const { DynamoCustomerDirectory } = await import('#shared/adapters/dynamodb/customer-directory.ts');
  const { dynamoDb: client } = await import('#shared/adapters/aws-clients.ts');
  ledger = new DynamoInboundMessageLedger();
  customers = new DynamoCustomerDirectory();
  storedMessage = async (messageSid) =>
    (
      await client.send(
        new GetCommand({ TableName: 'herald-main', Key: { pk: `INBOUND#${messageSid}`, sk: 'META' } }),
      )
    ).Item;
});

afterAll(async () => {
  await dynamoDb?.stop();
});

const customer = async (id: string): Promise<Customer | undefined> => (await customers.getMany([id]))[0];

describe('the inbound message ledger', () => {
  it('records a MessageSid’s first arrival with its expiry, and answers a repeat with that first time', async () => {
    const expiresAt = new Date('2027-12-28T09:00:00.000Z');

    const first = await ledger.firstArrival('SM-1', '2026-11-23T09:00:00.000Z', expiresAt);
    const again = await ledger.firstArrival('SM-1', '2026-11-23T10:00:00.000Z', expiresAt);

    expect(first).toEqual({ arrivedAt: '2026-11-23T09:00:00.000Z', repeated: false });
    expect(again).toEqual({ arrivedAt: '2026-11-23T09:00:00.000Z', repeated: true });
    expect(await storedMessage('SM-1')).toMatchObject({ expiresAt: expiresAt.getTime() / 1000 });
  });

  it('gives one first arrival to the same message arriving twice at once', async () => {
    const expiresAt = new Date('2027-12-28T09:00:00.000Z');

    const both = await Promise.all([
      ledger.firstArrival('SM-2', '2026-11-23T09:00:00.000Z', expiresAt),
      ledger.firstArrival('SM-2', '2026-11-23T09:00:00.001Z', expiresAt),
    ]);

    expect(both.map((result) => result.repeated).sort()).toEqual([false, true]);
    expect(new Set(both.map((result) => result.arrivedAt)).size).toBe(1);
  });
});

describe('opt changes in arrival order', () => {
  it('records a change over an older one only, never over one that arrived at or after it', async () => {
    await customers.putMany([aCustomer('C1')]);

    expect(await customers.recordOptChange('C1', true, '2026-11-23T09:00:00.000Z')).toBe(true);
    expect(await customers.recordOptChange('C1', false, '2026-11-23T08:00:00.000Z')).toBe(false);
    expect(await customers.recordOptChange('C1', false, '2026-11-23T09:00:00.000Z')).toBe(false);
    expect(await customer('C1')).toMatchObject({ optedOut: true, optChangedAt: '2026-11-23T09:00:00.000Z' });

    expect(await customers.recordOptChange('C1', false, '2026-11-23T09:00:00.001Z')).toBe(true);
    expect((await customer('C1'))?.optedOut).toBe(false);
  });

  it('compares times given with an offset as instants', async () => {
    await customers.putMany([aCustomer('C2')]);
    await customers.recordOptChange('C2', true, '2026-11-23T09:00:00.000Z');

    // 10:30+02:00 is 08:30Z: older than the STOP.
    expect(await customers.recordOptChange('C2', false, '2026-11-23T10:30:00+02:00')).toBe(false);
  });

  it('records nothing for a customer that does not exist', async () => {
    expect(await customers.recordOptChange('nobody', true, '2026-11-23T09:00:00.000Z')).toBe(false);
    expect(await customer('nobody')).toBeUndefined();
  });

  it('keeps the opt-out and its time through a re-import', async () => {
    const imported = aCustomer('C3');
    await customers.putMany([imported]);
    await customers.recordOptChange('C3', true, '2026-11-23T09:00:00.000Z');

    await customers.putMany([{ ...imported, firstName: 'Renamed' }]);

    expect(await customer('C3')).toMatchObject({
      firstName: 'Renamed',
      optedOut: true,
      optChangedAt: '2026-11-23T09:00:00.000Z',
    });
    expect(await customers.recordOptChange('C3', false, '2026-11-23T08:00:00.000Z')).toBe(false);
  });

  it('stamps an opt-out the provider reported with its time, so an older START cannot undo it', async () => {
    await customers.putMany([aCustomer('C4')]);
    const before = new Date(Date.now() - 1_000).toISOString();

    await customers.setOptedOut('C4', true);

    expect((await customer('C4'))?.optChangedAt ?? '').toBeTruthy();
    expect(await customers.recordOptChange('C4', false, before)).toBe(false);
  });
});

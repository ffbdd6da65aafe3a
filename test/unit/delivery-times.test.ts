import { describe, expect, it } from 'vitest';
import { deliveryTimes, firstTimeFields } from '#shared/domain/delivery-times.ts';

const broadcast = { createdAt: '2026-12-01T07:59:00Z', startedAt: '2026-12-01T08:00:00Z' };

describe('delivery times', () => {
  it('are the stamps a record kept: queued, first sent, first delivered', () => {
    const record = {
      status: 'delivered' as const,
      updatedAt: '2026-12-01T08:05:00Z',
      queuedAt: '2026-12-01T08:00:01Z',
      sentAt: '2026-12-01T08:00:02Z',
      deliveredAt: '2026-12-01T08:00:04Z',
    };
    expect(deliveryTimes(record, broadcast)).toEqual({
      queuedAt: '2026-12-01T08:00:01Z',
      sentAt: '2026-12-01T08:00:02Z',
      deliveredAt: '2026-12-01T08:00:04Z',
    });
  });

  it('fall back, on a record older than the stamps, on the broadcast’s start and the latest move in that status', () => {
    expect(deliveryTimes({ status: 'sent', updatedAt: '2026-12-01T08:00:09Z' }, broadcast)).toEqual({
      queuedAt: '2026-12-01T08:00:00Z',
      sentAt: '2026-12-01T08:00:09Z',
    });
    expect(
      deliveryTimes({ status: 'queued', updatedAt: '2026-12-01T08:00:09Z' }, { createdAt: 'c' }),
    ).toEqual({
      queuedAt: 'c',
    });
  });

  it('are stamped by the moves to sent, delivered and undelivered only', () => {
    expect(firstTimeFields('sent')).toEqual(['sentAt']);
    // A receipt that overtook the worker's own move to sent still shows when it was sent.
    expect(firstTimeFields('delivered')).toEqual(['sentAt', 'deliveredAt']);
    expect(firstTimeFields('undelivered')).toEqual(['sentAt']);
    expect(firstTimeFields('failed')).toEqual([]);
    expect(firstTimeFields('queued')).toEqual([]);
  });
});

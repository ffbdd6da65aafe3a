import { describe, expect, it } from 'vitest';
import { ConflictError } from '#shared/domain/errors.ts';
import { reviewBroadcast } from '#shared/use-cases/review-broadcast.ts';
import { anIncident, aTemplate } from '#test/support/builders.ts';
import { FakeBroadcastStore, FakeIncidentStore, FakeTemplateStore } from '#test/support/fakes.ts';

async function stores(kind: 'initial' | 'resolution') {
  const broadcasts = new FakeBroadcastStore();
  broadcasts.add({ id: 'b1', kind, status: 'pending_approval' });
  const incidents = new FakeIncidentStore();
  await incidents.create(anIncident());
  const templates = new FakeTemplateStore();
  // One text set, as every version written before kinds had wording of their own.
  await templates.put(aTemplate());
  return { broadcasts, incidents, templates };
}

describe('reviewBroadcast', () => {
  it('renders what a broadcast of a kind its version words will send', async () => {
    const review = await reviewBroadcast('b1', await stores('initial'));
    expect(review.kind).toBe('initial');
  });

  it('answers a conflict naming the missing wording for a stored broadcast its version has none for', async () => {
    await expect(reviewBroadcast('b1', await stores('resolution'))).rejects.toThrow(ConflictError);
    await expect(reviewBroadcast('b1', await stores('resolution'))).rejects.toThrow(/no resolution wording/);
  });
});

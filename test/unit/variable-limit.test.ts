import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/domain/errors.ts';
import { type CreateBroadcastDeps, createBroadcast } from '#shared/use-cases/create-broadcast.ts';
import { previewBroadcast } from '#shared/use-cases/preview-broadcast.ts';
import { aCustomer, aFlight, anIncident, aTemplate } from '#test/support/builders.ts';
import {
  FakeApprovalNotifier,
  FakeAuditStore,
  FakeBookingIndex,
  FakeBroadcastStore,
  FakeCustomerDirectory,
  FakeDeliveryStore,
  FakeFanout,
  FakeFlightCatalog,
  FakeIncidentStore,
  FakeTemplateStore,
} from '#test/support/fakes.ts';

/** A template approved for variables of at most 20 characters, and what both use cases read. */
async function setUp(): Promise<CreateBroadcastDeps & { deliveries: FakeDeliveryStore }> {
  const incidents = new FakeIncidentStore();
  await incidents.create(anIncident());
  const templates = new FakeTemplateStore();
  await templates.put(aTemplate({ allowedVariables: ['gate'], maxVariableLength: 20 }));
  const broadcasts = new FakeBroadcastStore();
  return {
    incidents,
    templates,
    broadcasts,
    deliveries: new FakeDeliveryStore(broadcasts),
    fanout: new FakeFanout(),
    audit: new FakeAuditStore(),
    flights: new FakeFlightCatalog([aFlight()]),
    bookings: new FakeBookingIndex(),
    customers: new FakeCustomerDirectory([aCustomer('c1')]),
    approvers: { notifier: new FakeApprovalNotifier(), consoleUrl: 'https://status.example/console/' },
  };
}

const request = (gate: string) => ({
  templateId: 'template-1',
  variables: { gate },
  channels: ['sms' as const],
  kind: 'initial' as const,
});

describe("a variable over the template's length: one rule for the preview and the broadcast", () => {
  it('the preview refuses it with the very problem the broadcast answers', async () => {
    const deps = await setUp();
    const tooLong = 'B12, walk to the far end of pier B'; // 34 characters

    const preview = previewBroadcast('incident-1', request(tooLong), deps).catch((error: unknown) => error);
    const broadcast = createBroadcast('incident-1', request(tooLong), 'olli.operator', deps).catch(
      (error: unknown) => error,
    );

    const [previewError, broadcastError] = await Promise.all([preview, broadcast]);
    expect(previewError).toBeInstanceOf(ValidationError);
    const expected = [
      {
        path: 'variables.gate',
        message: "34 characters; template 'template-1' was approved for at most 20.",
      },
    ];
    expect((previewError as ValidationError).errors).toEqual(expected);
    expect((broadcastError as ValidationError).errors).toEqual(expected);
  });

  it('the preview takes a value at the limit, as the broadcast does', async () => {
    const deps = await setUp();
    const atLimit = 'B12, far end, pier B'; // 20 characters

    await expect(previewBroadcast('incident-1', request(atLimit), deps)).resolves.toMatchObject({
      messages: { sms: expect.anything() },
    });
    await expect(
      createBroadcast('incident-1', request(atLimit), 'olli.operator', deps),
    ).resolves.toMatchObject({ status: 'queued' });
  });
});

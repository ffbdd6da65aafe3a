import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/domain/errors.ts';
import { createBroadcast } from '#shared/use-cases/create-broadcast.ts';
import { previewBroadcast } from '#shared/use-cases/preview-broadcast.ts';
import { aTemplate } from '#test/support/builders.ts';
import { fakeStores } from '#test/support/fake-stores.ts';
import { FakeApprovalNotifier } from '#test/support/fakes.ts';

/** A template approved for variables of at most 20 characters, and what both use cases read. */
async function setUp() {
  const stores = await fakeStores({
    template: aTemplate({ allowedVariables: ['gate'], maxVariableLength: 20 }),
  });
  return {
    ...stores,
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

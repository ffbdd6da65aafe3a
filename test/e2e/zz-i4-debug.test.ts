import { it } from 'vitest';
import { apiClient, sandboxMessages, startTestStack } from '#test/support/local-stack.ts';
it('debug', async () => {
  const stack = await startTestStack();
  const op = apiClient(stack, 'operator');
  const today = new Date().toISOString().slice(0, 10);
  const inc = await op<{ id: string }>('POST', '/incidents', { type: 'strike', title: 'S', severity: 'severe', window: { start: `${today}T00:00:00+00:00`, end: `${today}T23:59:59+00:00` }, scope: { airports: ['OSL'] } });
  const b = await op<{ id: string; status: string }>('POST', `/incidents/${inc.body.id}/broadcasts`, { templateId: 'strike-disruption' });
  console.log('created', b.status, JSON.stringify(b.body));
  for (let i = 0; i < 12; i++) {
    await new Promise((r) => setTimeout(r, 4000));
    const s = await op<Record<string, unknown>>('GET', `/broadcasts/${b.body.id}`);
    console.log(i * 4, s.body.status, JSON.stringify(s.body.counts), (await sandboxMessages(stack.sandboxes.twilio)).length);
  }
  await stack.close();
}, 120_000);

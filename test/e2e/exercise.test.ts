/**
 * Issue 19, item 5: an exercise incident, opened with `herald incident create --exercise`, runs
 * the whole flow through the local stack and its sandboxes but texts only the staff test
 * numbers, posts nothing to X or Facebook, and publishes only to the unlisted exercise feed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import { EXERCISE_MARKER } from '#shared/domain/exercise.ts';
import type { Broadcast, Incident } from '#shared/domain/model.ts';
import { validateCap } from '#test/support/cap-schema.ts';
import { expectedDemoPhones } from '#test/support/demo-audience.ts';
import { runHeraldAs } from '#test/support/herald-cli.ts';
import { apiClient, eventually, sandboxMessages, startTestStack } from '#test/support/local-stack.ts';

const TEST_NUMBERS = ['+358401110001', '+46701110002'];
/** The listing and the export each start a function cold (tens of seconds in isolated instances on a loaded 2-core machine). */
const COLD_STARTS_MS = 120_000;

describe('an exercise incident through the local stack', () => {
  let stack: LocalStack;
  let previousNumbers: string | undefined;
  const today = new Date().toISOString().slice(0, 10);
  const window = { start: `${today}T00:00:00+00:00`, end: `${today}T23:59:59+00:00` };
  let incident: Incident;
  let broadcast: Broadcast;

  beforeAll(async () => {
    // Read by the planner and the SMS worker from the environment, as in AWS.
    previousNumbers = process.env.HERALD_EXERCISE_NUMBERS;
    process.env.HERALD_EXERCISE_NUMBERS = TEST_NUMBERS.join(',');
    stack = await startTestStack();
    const opened = await runHeraldAs(stack, 'operator', [
      '--json',
      'incident',
      'create',
      '--exercise',
      ...['--type', 'strike', '--title', 'Strike at Oslo (rehearsal)', '--severity', 'severe'],
      ...['--start', window.start, '--end', window.end, '--airports', 'OSL'],
    ]);
    expect(opened.stderr).toBe('');
    incident = JSON.parse(opened.stdout) as Incident;
    const operator = apiClient(stack, 'operator');
    const accepted = await operator<{ id: string }>('POST', `/incidents/${incident.id}/broadcasts`, {
      templateId: 'strike-disruption',
      channels: ['sms', 'x', 'facebook', 'status'],
    });
    expect(accepted.status).toBe(202);
    broadcast = await eventually(async () => {
      const { body } = await operator<Broadcast>('GET', `/broadcasts/${accepted.body.id}`);
      return body.status === 'completed' && body.counts.sms?.delivered === TEST_NUMBERS.length
        ? body
        : undefined;
    }, 120_000);
  }, 600_000);
  afterAll(async () => {
    await stack?.close();
    if (previousNumbers === undefined) delete process.env.HERALD_EXERCISE_NUMBERS;
    else process.env.HERALD_EXERCISE_NUMBERS = previousNumbers;
  });

  it('texts each staff test number exactly once, every SMS marked, and no passenger', async () => {
    const passengers = expectedDemoPhones('OSL', window.start, window.end);
    expect(passengers.length).toBeGreaterThan(3);
    expect(passengers).not.toEqual(expect.arrayContaining([expect.stringMatching(/^\+35840111000/)]));

    const texts = (await sandboxMessages(stack.sandboxes.twilio)).map(({ request }) => ({
      to: String(request.body.To),
      body: String(request.body.Body),
    }));
    const perPhone = new Map<string, number>();
    for (const { to } of texts) perPhone.set(to, (perPhone.get(to) ?? 0) + 1);
    expect(Object.fromEntries(perPhone)).toEqual(Object.fromEntries(TEST_NUMBERS.map((phone) => [phone, 1])));
    for (const { body } of texts) expect(body.startsWith(`${EXERCISE_MARKER}\n`)).toBe(true);
    // The passengers' own text follows the marker: the demo wording names a flight.
    expect(texts[0]?.body).toMatch(/AY\d+/);
  });

  it('counts the passengers and the X and Facebook posts as exercise, none of them sent', () => {
    const passengers = expectedDemoPhones('OSL', window.start, window.end).length;

    expect(broadcast.counts.sms).toMatchObject({
      recipients: passengers + TEST_NUMBERS.length,
      exercise: passengers,
      queued: 0,
      failed: 0,
      duplicatesSuspected: 0,
    });
    expect(broadcast.counts.x).toMatchObject({ recipients: 3, exercise: 3, sent: 0, attempts: 0 });
    expect(broadcast.counts.facebook).toMatchObject({ recipients: 3, exercise: 3, sent: 0, attempts: 0 });
    expect(broadcast.counts.status).toMatchObject({ recipients: 1, sent: 1 });
  });

  it('posts nothing to X or Facebook', async () => {
    expect(await sandboxMessages(stack.sandboxes.x)).toEqual([]);
    expect(await sandboxMessages(stack.sandboxes.facebook)).toEqual([]);
  });

  it(
    'lists the exercise records in the deliveries and the evidence export, test numbers masked',
    async () => {
      const operator = apiClient(stack, 'operator');
      const listed = await operator<{ items: { recipient: string; status: string }[] }>(
        'GET',
        `/broadcasts/${broadcast.id}/deliveries?channel=x&status=exercise`,
      );
      expect(listed.body.items.map(({ status }) => status)).toEqual(['exercise', 'exercise', 'exercise']);
      const sms = await operator<{ items: { recipient: string; status: string }[] }>(
        'GET',
        `/broadcasts/${broadcast.id}/deliveries?channel=sms&status=delivered`,
      );
      expect(sms.body.items).toHaveLength(TEST_NUMBERS.length);
      for (const { recipient } of sms.body.items) expect(recipient).toMatch(/^\+(35840|46701)\S*•+\d{2}$/);

      const evidence = await fetch(`${stack.apiUrl}/incidents/${incident.id}/evidence?format=ndjson`, {
        headers: { authorization: `Bearer ${stack.users.find((user) => user.role === 'operator')?.key}` },
      });
      const rows = (await evidence.text())
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as { channel: string; status: string; text: string });
      const smsRows = rows.filter((row) => row.channel === 'sms');
      expect(smsRows.filter((row) => row.status === 'exercise')).toHaveLength(
        broadcast.counts.sms?.exercise ?? -1,
      );
      const sent = smsRows.filter((row) => row.status === 'delivered');
      expect(sent).toHaveLength(TEST_NUMBERS.length);
      for (const row of sent) expect(row.text.startsWith(EXERCISE_MARKER)).toBe(true);
    },
    COLD_STARTS_MS,
  );

  it('keeps the exercise off the public status site and its feeds', async () => {
    for (const path of ['/status', '/status/fi', '/status.json', '/feed.atom', '/feed.rss', '/cap.atom']) {
      const response = await fetch(`${stack.apiUrl}${path}`);
      expect(response.status, path).toBe(200);
      const body = await response.text();
      expect(body, path).not.toContain(incident.id);
      expect(body, path).not.toContain('/exercise/');
    }
  });

  it('publishes the exercise in the exercise feed, its CAP alert with status Exercise and valid', async () => {
    const feed = await (await fetch(`${stack.apiUrl}/exercise/feed.atom`)).text();
    expect(feed).toContain(incident.id);
    const index = await (await fetch(`${stack.apiUrl}/exercise/cap.atom`)).text();
    const alertUrl = /<link href="[^"]*(\/exercise\/cap\/[^"]+\.xml)"/.exec(index)?.[1];
    expect(alertUrl).toBeDefined();
    const alert = await (await fetch(`${stack.apiUrl}${alertUrl}`)).text();
    expect(alert).toContain('<status>Exercise</status>');
    expect(alert).toContain(`<incidents>${incident.id}</incidents>`);
    expect(validateCap(alert)).toEqual({ valid: true, errors: '' });
  });
});

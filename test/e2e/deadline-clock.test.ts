/**
 * Issue 19, the deadline clock, against the local stack at its own SMS rate (1 SMS/s, one long
 * code) with an airline default of 3 minutes: an incident's deadline is stored at opening, and a
 * preview whose last SMS falls after it carries the warning with the numbers, in the API and in
 * `herald preview`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import type { BroadcastDetail, Preview } from '#shared/api/broadcasts.ts';
import type { DeliveryLine } from '#shared/api/deliveries.ts';
import type { Incident } from '#shared/domain/model.ts';
import type { Page } from '#shared/domain/page.ts';
import { demoWindow } from '#test/support/demo-audience.ts';
import { runHeraldAs } from '#test/support/herald-cli.ts';
import { apiClient, eventually, startTestStack } from '#test/support/local-stack.ts';

const AIRLINE_DEADLINE_MINUTES = 3;
/** Enough passengers at HEL that 3 minutes at 1 SMS/s cannot reach them all. */
const DEMO_CUSTOMERS = 400;

describe('the deadline clock', () => {
  let stack: LocalStack;
  let operator: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    // The local stack's own rate, not the test default of 100/s; the functions read both here.
    process.env.HERALD_SMS_MPS = '1';
    process.env.HERALD_NOTIFICATION_DEADLINE_MINUTES = String(AIRLINE_DEADLINE_MINUTES);
    stack = await startTestStack({ HERALD_DEMO_CUSTOMERS: String(DEMO_CUSTOMERS) });
    operator = apiClient(stack, 'operator');
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  });

  const strike = (deadline: Record<string, unknown> = {}, airport = 'HEL') =>
    operator<Incident>('POST', '/incidents', {
      type: 'strike',
      title: `Ground handling strike at ${airport}`,
      severity: 'severe',
      window: demoWindow(),
      scope: { airports: [airport] },
      ...deadline,
    });
  const preview = (incidentId: string) =>
    operator<Preview>('POST', `/incidents/${incidentId}/preview`, {
      templateId: 'strike-disruption',
      channels: ['sms'],
    });
  const minutesAfterOpening = (incident: Incident) =>
    (Date.parse(incident.notificationDeadline ?? '') - Date.parse(incident.createdAt)) / 60_000;

  it("stores the airline's default deadline on an incident that sets none, and its own on one that does", async () => {
    const byDefault = await strike();
    const own = await strike({ deadlineMinutes: 45 });

    expect(byDefault.status).toBe(201);
    expect(minutesAfterOpening(byDefault.body)).toBe(AIRLINE_DEADLINE_MINUTES);
    expect(minutesAfterOpening(own.body)).toBe(45);
    const read = await operator<Incident>('GET', `/incidents/${own.body.id}`);
    expect(read.body.notificationDeadline).toBe(own.body.notificationDeadline);
  });

  it('refuses a deadline before the opening or both forms at once, naming the field', async () => {
    const past = await strike({ notificationDeadline: '2026-01-01T00:00:00+00:00' });
    const both = await strike({
      deadlineMinutes: 10,
      notificationDeadline: new Date(Date.now() + 3_600_000).toISOString(),
    });

    expect(past.status).toBe(422);
    expect(past.body).toMatchObject({ errors: [{ path: 'notificationDeadline' }] });
    expect(both.status).toBe(422);
    expect(both.body).toMatchObject({ errors: [{ path: 'deadlineMinutes' }] });
  });

  it('a preview whose last SMS falls after the deadline warns, naming how many would be late and the rate that would make it', async () => {
    const incident = await strike();

    const asked = Date.now();
    const { status, body } = await preview(incident.body.id);

    expect(status).toBe(200);
    const eta = body.eta;
    if (!eta) throw new Error('An SMS preview has an ETA');
    expect(eta.deadline).toBe(incident.body.notificationDeadline);
    expect(eta.smsPerSecond).toBe(1);
    expect(eta.recipients).toBe(body.recipients.sms);
    expect(eta.recipients).toBeGreaterThan(AIRLINE_DEADLINE_MINUTES * 60);
    const segmentsByLanguage = Object.entries(body.recipients.byLanguage).map(
      ([language, count]) => count * (body.messages.sms?.[language as 'fi']?.segments ?? 0),
    );
    expect(eta.segments).toBe(segmentsByLanguage.reduce((sum, segments) => sum + segments, 0));
    // One segment a second from the preview's own clock.
    const lastInSeconds = (Date.parse(eta.lastSmsAt) - asked) / 1000;
    expect(lastInSeconds).toBeGreaterThanOrEqual(eta.segments - 1);
    expect(lastInSeconds).toBeLessThan(eta.segments + 30);
    // Those texted by the deadline: a segment a second until it, at the average segments each.
    const secondsLeft = (Date.parse(eta.deadline) - asked) / 1000;
    const inTime = Math.floor(secondsLeft / (eta.segments / eta.recipients));
    expect(eta.late).toBeGreaterThan(0);
    expect(Math.abs(eta.late - (eta.recipients - inTime))).toBeLessThanOrEqual(30);
    expect(eta.smsPerSecondNeeded).toBeGreaterThanOrEqual(eta.segments / secondsLeft);
    expect(body.warnings).toContainEqual(
      expect.stringContaining(
        `${eta.late.toLocaleString('en')} of ${eta.recipients.toLocaleString('en')} passengers would be texted after it. ${eta.smsPerSecondNeeded} SMS/s would reach them all in time.`,
      ),
    );
    console.info('deadline-clock preview:', JSON.stringify(eta), body.warnings.at(-1));
    // Priority: those departing within 2 hours are texted first, so reached before the last.
    expect(eta.departingSoon.hours).toBe(2);
    expect(eta.departingSoon.recipients).toBeLessThanOrEqual(eta.recipients);
    if (eta.departingSoon.lastReachedAt)
      expect(Date.parse(eta.departingSoon.lastReachedAt)).toBeLessThanOrEqual(Date.parse(eta.lastSmsAt));
  });

  it('a preview that makes the deadline carries no deadline warning', async () => {
    const incident = await strike({ deadlineMinutes: 600 });

    const { body } = await preview(incident.body.id);

    expect(body.eta).toMatchObject({ late: 0 });
    expect(body.eta).not.toHaveProperty('smsPerSecondNeeded');
    expect(body.warnings.join('\n')).not.toMatch(/deadline/);
  });

  it('a broadcast says of each passenger whether their SMS reached them before the deadline', async () => {
    // At 1 SMS/s the shortest deadline, a minute, reaches at most about 60 of the 65 passengers at
    // RIX; the rest are texted after it.
    const incident = await strike({ deadlineMinutes: 1 }, 'RIX');
    const deadline = Date.parse(incident.body.notificationDeadline ?? '');
    const accepted = await operator<{ id: string }>('POST', `/incidents/${incident.body.id}/broadcasts`, {
      templateId: 'strike-disruption',
      channels: ['sms'],
    });
    await eventually(async () => {
      const { body } = await operator<BroadcastDetail>('GET', `/broadcasts/${accepted.body.id}`);
      return body.countsFinal && Date.now() > deadline ? body : undefined;
    }, 300_000);

    const lines: DeliveryLine[] = [];
    let next: string | undefined;
    do {
      const page = await operator<Page<DeliveryLine>>(
        'GET',
        `/broadcasts/${accepted.body.id}/deliveries?limit=100${next ? `&next=${encodeURIComponent(next)}` : ''}`,
      );
      lines.push(...page.body.items);
      next = page.body.next;
    } while (next);

    for (const line of lines) {
      const reached = line.status === 'sent' || line.status === 'delivered';
      // Stamped by the move to sent, whatever receipt came after it.
      expect(line.sentAt !== undefined, JSON.stringify(line)).toBe(reached);
      expect(line.reachedBeforeDeadline, JSON.stringify(line)).toBe(
        reached && Date.parse(line.sentAt ?? '') <= deadline,
      );
    }
    const inTime = lines.filter((line) => line.reachedBeforeDeadline).length;
    console.info(`deadline-clock broadcast: ${inTime} of ${lines.length} reached before the deadline`);
    expect(inTime).toBeGreaterThan(0);
    expect(inTime).toBeLessThan(lines.length);
  }, 330_000);

  it('herald preview prints the ETA against the deadline and the warning', async () => {
    const incident = await strike();

    const run = await runHeraldAs(stack, 'operator', [
      'preview',
      incident.body.id,
      '--template',
      'strike-disruption',
      '--channels',
      'sms',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const { stdout } = run;

    expect(stdout).toMatch(
      /^Deadline .*; last SMS .* \(in .* at 1 SMS\/s, [\d,]+ segments\): [\d,]+ of [\d,]+ late; [\d.]+ SMS\/s would make it$/m,
    );
    expect(stdout).toMatch(/^Departing within 2 h: \d+ passengers/m);
    expect(stdout).toMatch(
      /^ {2}The last SMS would go in .* after the notification deadline: .* passengers would be texted after it\./m,
    );
  });
});

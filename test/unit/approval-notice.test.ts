import { describe, expect, it } from 'vitest';
import { broadcastNotice } from '#shared/domain/approval-notice.ts';
import { EXERCISE_LABEL } from '#shared/domain/exercise.ts';
import { aBroadcast, anIncident } from '#test/support/builders.ts';

const CONSOLE = 'https://status.herald.example/console/';

describe("a broadcast's approval notice", () => {
  it('says first, in its subject and its text, that an exercise is one', () => {
    const notice = broadcastNotice(aBroadcast(), anIncident({ exercise: true }), CONSOLE);

    expect(notice.subject).toBe(`Herald: ${EXERCISE_LABEL}: a broadcast waits for approval`);
    expect(
      notice.text.startsWith(`${EXERCISE_LABEL}: A broadcast (update) on "Strike at Helsinki Airport"`),
    ).toBe(true);
    expect(notice.subject).toMatch(/^[\x20-\x7e]{1,99}$/);
  });

  it('names no exercise for a real incident', () => {
    const notice = broadcastNotice(aBroadcast(), anIncident(), CONSOLE);

    expect(`${notice.subject}\n${notice.text}`).not.toContain(EXERCISE_LABEL);
  });
});

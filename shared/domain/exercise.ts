/**
 * Exercises (issue 19, item 5): an incident marked `exercise` runs the whole flow for real, but
 * only the airline's staff test numbers are texted, nothing is posted publicly, and its status
 * entries go to the unlisted exercise feed with CAP status `Exercise` (docs/exercises.md).
 */
import type { Broadcast, Channel, Customer, Delivery, Incident } from './model.ts';

/** What every SMS of an exercise starts with, so no one mistakes a rehearsal for a disruption. */
export const EXERCISE_MARKER = 'EXERCISE EXERCISE EXERCISE';

/** Staff test numbers an exercise may text: each gets one SMS per broadcast. */
export const MAX_EXERCISE_NUMBERS = 20;

/** How every reader (console, CLI) names an exercise beside the incident or its broadcasts. */
export const EXERCISE_LABEL = 'EXERCISE';

/** Where the exercise feed, its CAP alerts and their index live on the status site (never linked). */
export const EXERCISE_SITE_PREFIX = 'exercise';

export const isExercise = (incident: Pick<Incident, 'exercise'>): boolean => incident.exercise === true;

/**
 * The ledger status a planned record starts in. In an exercise only the staff test numbers' SMS
 * and the status entry (published to the exercise feed) are sent: a passenger's SMS and the X and
 * Facebook posts are recorded as `exercise`, which counts but is never sent nor retried.
 */
export function plannedStatus(
  incident: Pick<Incident, 'exercise'>,
  channel: Channel,
  recipientId: string,
): Extract<Delivery['status'], 'queued' | 'exercise'> {
  if (!isExercise(incident)) return 'queued';
  if (channel === 'status') return 'queued';
  if (channel === 'sms' && isTestRecipient(recipientId)) return 'queued';
  return 'exercise';
}

const TEST_RECIPIENT = /^exercise-\d+$/;

/** The ledger's recipient id of the n-th (from 1) staff test number: no customer has it. */
export const testRecipientId = (position: number): string => `exercise-${position}`;

export const isTestRecipient = (recipientId: string): boolean => TEST_RECIPIENT.test(recipientId);

/** The first name a test number's SMS greets: the staff read the sample's text, not a passenger's name. */
export const TEST_RECIPIENT_NAME = 'Test';

/**
 * The recipient a test number's record stands for: the n-th configured staff number, in the
 * sample passenger's language (the record's payload carries it). Undefined for any other id, or
 * when the list no longer has that position (the record is then refused, never sent elsewhere).
 */
export function testRecipient(recipientId: string, numbers: readonly string[]): Customer | undefined {
  if (!isTestRecipient(recipientId)) return undefined;
  const phone = numbers[Number(recipientId.slice(recipientId.indexOf('-') + 1)) - 1];
  if (!phone) return undefined;
  return {
    customerId: recipientId,
    firstName: TEST_RECIPIENT_NAME,
    lastName: '',
    phone,
    language: 'en',
    smsConsent: true,
  };
}

/**
 * What the preview of an exercise's broadcast says: its counts and the time of its last SMS are
 * the real audience's (what the exercise rehearses), but only the test numbers are texted.
 */
export const EXERCISE_PREVIEW_WARNING =
  'This incident is an exercise: only the staff test numbers are texted, one SMS each, and nothing is posted to X or Facebook. The passengers counted here are recorded as exercise, not texted; the time of the last SMS is what it would be for real.';

/** What an exercise's SMS bodies start with: the marker, on a line of its own. */
export const EXERCISE_SMS_PREFIX = `${EXERCISE_MARKER}\n`;

/** An SMS body of an exercise: the marker first, on a line of its own. */
export const markedExerciseText = (text: string): string => `${EXERCISE_SMS_PREFIX}${text}`;

/** Whether a broadcast recorded any recipient as an exercise's: only then do its tables show the column. */
export function hasExerciseRecords(broadcast: Pick<Broadcast, 'counts'>): boolean {
  return Object.values(broadcast.counts).some((counts) => counts.exercise > 0);
}

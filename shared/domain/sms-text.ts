import { isExercise, markedExerciseText } from './exercise.ts';
import type { Language } from './model.ts';
import { type BroadcastSource, localTime, type PersonalContext, renderBroadcastField } from './render.ts';

/**
 * What an SMS names, fixed on its delivery record when the planner wrote it (the record's
 * `payload`): the passenger's soonest affected segment and their language.
 */
export type SmsPayload = Partial<
  Record<'bookingRef' | 'flightNumber' | 'date' | 'origin' | 'departure' | 'language', string>
>;

/**
 * One passenger's SMS: the broadcast kind's wording in their language, naming the booking and
 * flight fixed on their record at planning. The SMS worker sends this and the evidence export
 * proves it, so the two cannot drift apart.
 */
export function smsText(
  source: BroadcastSource,
  payload: SmsPayload,
  firstName: string,
): { language: Language; text: string } {
  return renderSms(source, (payload.language ?? 'en') as Language, {
    customer: { firstName },
    booking: { ref: payload.bookingRef ?? '' },
    flight: {
      number: payload.flightNumber ?? '',
      date: payload.date ?? '',
      origin: payload.origin ?? '',
      departureTime: payload.departure && payload.origin ? localTime(payload.departure, payload.origin) : '',
    },
  });
}

/**
 * An SMS as it goes out, for the worker and the preview alike: the kind's wording in `language`
 * with the recipient's personal variables; an exercise's starts with its marker.
 */
export function renderSms(
  source: BroadcastSource,
  language: Language,
  personal: PersonalContext,
): { language: Language; text: string } {
  const rendered = renderBroadcastField(source, language, 'sms', personal);
  return isExercise(source.incident) ? { ...rendered, text: markedExerciseText(rendered.text) } : rendered;
}

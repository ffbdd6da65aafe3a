/**
 * What a comms lead reads before releasing a broadcast that waits for approval: every text it
 * would send, per channel and language, with the operator's free text marked; whom it would
 * reach; who asked for it and when (and, once released, who approved it and when).
 */
import { EXERCISE_SMS_PREFIX, isExercise } from './exercise.ts';
import { renderMarkedField, type TextPart } from './marked-text.ts';
import {
  type AudienceEstimate,
  type Broadcast,
  type BroadcastStatus,
  type Channel,
  type Incident,
  LANGUAGES,
  type Language,
  type TemplateVersion,
} from './model.ts';
import { freeTextVariables } from './template-rules.ts';

/**
 * A broadcast as the comms leads' views name it: what it sends, for which incident, who asked
 * for it and when, and whom it would reach. The approvals queue lists these; a review opens with one.
 */
export interface BroadcastRequest
  extends Pick<Broadcast, 'id' | 'incidentId' | 'kind' | 'templateId' | 'templateVersion' | 'channels'> {
  incidentTitle: string;
  /** The incident is an exercise: only staff test numbers are texted, nothing is posted publicly. */
  exercise: boolean;
  requestedBy: string;
  requestedAt: string;
  /** Counted when it was requested; absent for a broadcast that never waited for approval. */
  audience?: AudienceEstimate;
}

/** `broadcast` as a BroadcastRequest; without its incident (deleted), the incident's id stands for its title. */
export function broadcastRequest(broadcast: Broadcast, incident: Incident | undefined): BroadcastRequest {
  return {
    id: broadcast.id,
    incidentId: broadcast.incidentId,
    incidentTitle: incident?.title ?? broadcast.incidentId,
    exercise: incident !== undefined && isExercise(incident),
    kind: broadcast.kind,
    templateId: broadcast.templateId,
    templateVersion: broadcast.templateVersion,
    channels: broadcast.channels,
    requestedBy: broadcast.createdBy,
    requestedAt: broadcast.createdAt,
    ...(broadcast.audienceEstimate ? { audience: broadcast.audienceEstimate } : {}),
  };
}

export interface BroadcastReview extends BroadcastRequest {
  status: BroadcastStatus;
  approvedBy?: string;
  approvedAt?: string;
  /** The variables that made it wait for approval: their words are the parts with `freeText`. */
  freeTextVariables: string[];
  messages: {
    sms?: Partial<Record<Language, TextPart[]>>;
    x?: Partial<Record<Language, TextPart[]>>;
    facebook?: Partial<Record<Language, TextPart[]>>;
    status?: Partial<Record<Language, { title: TextPart[]; body: TextPart[] }>>;
  };
}

const perLanguage = <T>(render: (language: Language) => T): Record<Language, T> =>
  Object.fromEntries(LANGUAGES.map((language) => [language, render(language)])) as Record<Language, T>;

/** Every variable name the operator filled, in any language. */
function variableNames(broadcast: Broadcast): Record<string, string> {
  return Object.assign({}, broadcast.variables, ...Object.values(broadcast.variablesByLanguage ?? {}));
}

/**
 * The review of a broadcast, rendered from its template version and incident as the workers
 * render it; the SMS shows placeholders where each passenger's details go.
 */
export function broadcastReview(
  broadcast: Broadcast,
  incident: Incident,
  template: TemplateVersion,
): BroadcastReview {
  const freeText = freeTextVariables(template, variableNames(broadcast));
  const source = { template, incident, broadcast };
  const render = (language: Language, field: Parameters<typeof renderMarkedField>[2]) =>
    renderMarkedField(source, language, field, freeText);
  const on = (channel: Channel) => broadcast.channels.includes(channel);
  // An exercise's SMS start with its marker, as the SMS worker sends them (sms-text.ts).
  const smsPrefix: TextPart[] = isExercise(incident) ? [{ text: EXERCISE_SMS_PREFIX }] : [];
  return {
    ...broadcastRequest(broadcast, incident),
    status: broadcast.status,
    ...(broadcast.approvedBy ? { approvedBy: broadcast.approvedBy } : {}),
    ...(broadcast.approvedAt ? { approvedAt: broadcast.approvedAt } : {}),
    freeTextVariables: freeText,
    messages: {
      ...(on('sms') ? { sms: perLanguage((language) => [...smsPrefix, ...render(language, 'sms')]) } : {}),
      ...(on('x') ? { x: perLanguage((language) => render(language, 'social')) } : {}),
      ...(on('facebook') ? { facebook: perLanguage((language) => render(language, 'social')) } : {}),
      ...(on('status')
        ? {
            status: perLanguage((language) => ({
              title: render(language, 'statusTitle'),
              body: render(language, 'statusBody'),
            })),
          }
        : {}),
    },
  };
}

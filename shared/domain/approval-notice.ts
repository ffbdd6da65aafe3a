/**
 * The notices that tell comms leads an approval is waiting. Each says what waits, who asked and
 * where to approve it, and nothing about a passenger: the text goes out by e-mail and SMS.
 */
import { displayTime } from './display-time.ts';
import { EXERCISE_LABEL, isExercise } from './exercise.ts';
import type { Broadcast, Incident, TemplateVersion } from './model.ts';

/**
 * Tells the comms leads something waits for their approval. Holds ids, an incident title, staff
 * user names and a console link: never a passenger's data, since e-mail and SMS carry it.
 */
export interface ApprovalNotice {
  /** What waits: a broadcast with free text, or a template version submitted for review. */
  kind: 'broadcast' | 'template';
  /** The broadcast's id, or the template's id and version as `<id>@v<n>`. */
  id: string;
  /** An e-mail subject: ASCII, one line, under 100 characters (SNS refuses others). */
  subject: string;
  /** The message itself, ending with the console link. */
  text: string;
  /** Where in the console it is approved. */
  link: string;
}

/** A console page's address: the console routes by hash (`#/broadcasts/<id>`). */
export function consoleLink(consoleUrl: string, path: string): string {
  return `${consoleUrl.replace(/\/?$/, '/')}#/${path}`;
}

/** A broadcast that carries free text waits for a comms lead who did not request it. */
export function broadcastNotice(
  broadcast: Broadcast,
  incident: Incident,
  consoleUrl: string,
): ApprovalNotice {
  const link = consoleLink(consoleUrl, `broadcasts/${encodeURIComponent(broadcast.id)}`);
  // A rehearsal must never read as a disruption, in the inbox either.
  const exercise = isExercise(incident) ? `${EXERCISE_LABEL}: ` : '';
  return {
    kind: 'broadcast',
    id: broadcast.id,
    subject: `Herald: ${exercise}a broadcast waits for approval`,
    text: [
      `${exercise}A broadcast (${broadcast.kind}) on "${incident.title}" carries free text and waits for a comms lead's approval.`,
      `Requested by ${broadcast.createdBy} at ${displayTime(broadcast.createdAt)}; template ${broadcast.templateId} v${broadcast.templateVersion}; broadcast ${broadcast.id}.`,
      `Read its texts and approve it (not its requester): ${link}`,
    ].join('\n'),
    link,
  };
}

/** A submitted template version waits for a comms lead who did not write it. */
export function templateNotice(template: TemplateVersion, consoleUrl: string): ApprovalNotice {
  const link = consoleLink(consoleUrl, `templates/${encodeURIComponent(template.id)}`);
  return {
    kind: 'template',
    id: `${template.id}@v${template.version}`,
    subject: 'Herald: a template version waits for review',
    text: [
      `Version ${template.version} of template "${template.name}" (${template.id}) was submitted for review.`,
      `Submitted by ${template.submittedBy ?? template.createdBy} at ${displayTime(template.submittedAt ?? template.createdAt)}.`,
      `Review it (not its author): ${link}`,
    ].join('\n'),
    link,
  };
}

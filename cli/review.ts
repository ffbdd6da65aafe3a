/**
 * A broadcast waiting for approval as `herald broadcast status` prints it: whom it would reach,
 * who asked for it, and every text per channel and language with the operator's free text
 * between «guillemets», so a comms lead reads in the terminal what the console highlights.
 */
import type { BroadcastReview } from '#shared/domain/broadcast-review.ts';
import type { TextPart } from '#shared/domain/marked-text.ts';
import { type Channel, LANGUAGES } from '#shared/domain/model.ts';
import { table, time } from './output.ts';

const CHANNEL_TITLES: Record<Channel, string> = {
  sms: 'SMS',
  x: 'X',
  facebook: 'Facebook',
  status: 'Status page',
};

/** Free text «marked», placeholders as they are (‹first name›), the rest as sent. */
export function markedText(parts: TextPart[]): string {
  return parts.map((part) => (part.freeText ? `«${part.text}»` : part.text)).join('');
}

function audienceLines(review: BroadcastReview): string[] {
  const audience = review.audience;
  if (!audience) return [];
  const atLeast = audience.complete ? '' : 'at least ';
  const rows = review.channels.map((channel) => [
    channel,
    `${atLeast}${audience.recipients[channel] ?? 0}`,
    channel === 'sms'
      ? LANGUAGES.map((language) => `${language} ${audience.smsByLanguage[language]}`).join(', ')
      : '',
  ]);
  return [
    `Recipients, counted at ${time(audience.countedAt)}:`,
    ...table(['channel', 'recipients', 'by language'], rows),
  ];
}

function textLines(review: BroadcastReview): string[] {
  const lines: string[] = [];
  for (const channel of review.channels) {
    const texts = review.messages[channel];
    if (!texts) continue;
    lines.push(`${CHANNEL_TITLES[channel]}:`);
    for (const language of LANGUAGES) {
      const text = texts[language];
      if (!text) continue;
      const shown = Array.isArray(text)
        ? markedText(text)
        : `${markedText(text.title)}: ${markedText(text.body)}`;
      lines.push(`  ${language}: ${shown.replace(/\n/g, '\n      ')}`);
    }
  }
  return lines;
}

/** The lines of a broadcast's review: header, requester (and approver), audience, texts. */
export function reviewLines(review: BroadcastReview): string[] {
  const approval = review.approvedBy
    ? `Approved by ${review.approvedBy} at ${time(review.approvedAt)}.`
    : `Waits for a comms lead who did not request it: herald broadcast approve ${review.id}`;
  return [
    `Broadcast ${review.id}: ${review.status} (${review.kind}, template ${review.templateId} v${review.templateVersion}) on "${review.incidentTitle}"`,
    `Requested by ${review.requestedBy} at ${time(review.requestedAt)}. ${approval}`,
    ...audienceLines(review),
    ...(review.freeTextVariables.length > 0
      ? [
          `«Free text» the operator typed (${review.freeTextVariables.join(', ')}), reviewed by no one yet; ‹…› is each passenger's own.`,
        ]
      : []),
    ...textLines(review),
  ];
}

import type { ApiClient } from '#cli/api-client.ts';
import { CliError } from '#cli/errors.ts';
import { type OutputOptions, print, table, time } from '#cli/output.ts';
import type { Preview } from '#shared/api/broadcasts.ts';
import { formatDuration, type SmsEta } from '#shared/domain/deadline.ts';

export interface BroadcastRequestOptions {
  template?: string;
  templateVersion?: number;
  kind?: string;
  channels?: string[];
  var?: Record<string, string>;
}

/** The JSON body a preview and a broadcast share. */
export function broadcastBody(options: BroadcastRequestOptions): Record<string, unknown> {
  if (!options.template) throw new CliError('Name the approved template: --template <id>.');
  return {
    templateId: options.template,
    ...(options.templateVersion ? { templateVersion: options.templateVersion } : {}),
    ...(options.kind ? { kind: options.kind } : {}),
    ...(options.channels?.length ? { channels: options.channels } : {}),
    variables: options.var ?? {},
  };
}

/** The SMS's ETA against the incident's deadline, and when those departing soonest are reached. */
function etaLines(eta: SmsEta): string[] {
  const fromNow = (iso: string) => formatDuration((Date.parse(iso) - Date.now()) / 1000);
  const verdict =
    eta.late === 0
      ? 'all in time'
      : `${eta.late.toLocaleString('en')} of ${eta.recipients.toLocaleString('en')} late${
          eta.smsPerSecondNeeded === undefined ? '' : `; ${eta.smsPerSecondNeeded} SMS/s would make it`
        }`;
  const soon = eta.departingSoon;
  return [
    `Deadline ${time(eta.deadline)}; last SMS ${time(eta.lastSmsAt)} (in ${fromNow(eta.lastSmsAt)} at ${eta.smsPerSecond} SMS/s, ${eta.segments.toLocaleString('en')} segments): ${verdict}`,
    `Departing within ${soon.hours} h: ${soon.recipients} passengers${
      soon.lastReachedAt ? `, the last of them reached by ${time(soon.lastReachedAt)}` : ''
    }`,
  ];
}

function previewLines(preview: Preview): string[] {
  const lines = [
    `Affected: ${preview.affectedFlights.length} flights, ${preview.affectedCustomers} customers; ${preview.recipients.sms} SMS recipients (${Object.entries(
      preview.recipients.byLanguage,
    )
      .map(([language, count]) => `${language} ${count}`)
      .join(', ')})`,
    `Excluded: ${preview.excluded.noConsent} without SMS consent, ${preview.excluded.invalidPhone} invalid numbers, ${preview.excluded.optedOut} opted out`,
    ...(preview.eta ? etaLines(preview.eta) : []),
    '',
    ...table(
      ['flight', 'date', 'from', 'to', 'departure'],
      preview.affectedFlights.map((flight) => [
        flight.flightNumber,
        flight.date,
        flight.origin,
        flight.destination,
        time(flight.departure),
      ]),
    ),
  ];
  for (const [language, sms] of Object.entries(preview.messages.sms ?? {})) {
    if (sms)
      lines.push(
        '',
        `SMS ${language} (${sms.encoding}, ${sms.segments} segment${sms.segments === 1 ? '' : 's'}):`,
        `  ${sms.text}`,
      );
  }
  for (const [language, post] of Object.entries(preview.messages.x ?? {})) {
    if (post) lines.push('', `X ${language} (${post.weightedLength}/280):`, `  ${post.text}`);
  }
  for (const [language, post] of Object.entries(preview.messages.facebook ?? {})) {
    if (post) lines.push('', `Facebook ${language}:`, `  ${post.text}`);
  }
  for (const [language, entry] of Object.entries(preview.messages.status ?? {})) {
    if (entry) lines.push('', `Status ${language}: ${entry.title}`, `  ${entry.body}`);
  }
  if (preview.warnings.length > 0)
    lines.push('', 'Warnings:', ...preview.warnings.map((warning) => `  ${warning}`));
  return lines;
}

/** `herald preview <incidentId> --template T`: who would be reached and what each channel would say. */
export async function previewCommand(
  client: ApiClient,
  incidentId: string,
  options: BroadcastRequestOptions & OutputOptions,
): Promise<void> {
  const preview = await client.post<Preview>(
    `/incidents/${encodeURIComponent(incidentId)}/preview`,
    broadcastBody(options),
  );
  print(options, preview, () => previewLines(preview));
}

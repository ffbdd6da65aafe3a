import { readFile } from 'node:fs/promises';
import type { ApiClient } from '#cli/api-client.ts';
import { CliError } from '#cli/errors.ts';
import { broadcastLines, type OutputOptions, print, table, time } from '#cli/output.ts';
import type { BroadcastSummary } from '#shared/api/broadcasts.ts';
import { incidentDeadline } from '#shared/domain/deadline.ts';
import { EXERCISE_LABEL } from '#shared/domain/exercise.ts';
import { toIsoWithOffset } from '#shared/domain/local-time.ts';
import type { Incident, IncidentSummary } from '#shared/domain/model.ts';

export interface IncidentCreateOptions extends OutputOptions {
  type: string;
  title: string;
  severity: string;
  start: string;
  end: string;
  airports?: string[];
  area?: string;
  overflights?: boolean;
  flights?: string[];
  carriers?: string[];
  deadlineMinutes?: number;
  exercise?: boolean;
}

function typedTime(option: string, value: string): string {
  const iso = toIsoWithOffset(value);
  if (!iso)
    throw new CliError(
      `${option}: expected a time like 2026-11-23T06:00 (local time) or 2026-11-23T06:00:00+02:00.`,
    );
  return iso;
}

/** "AY123@2026-11-23" → { flightNumber, date }. */
function flightRef(value: string): { flightNumber: string; date: string } {
  const match = /^([A-Za-z0-9]+)@(\d{4}-\d{2}-\d{2})$/.exec(value.trim());
  if (!match?.[1] || !match[2]) throw new CliError(`--flights: expected FLIGHT@DATE, e.g. AY123@2026-11-23.`);
  return { flightNumber: match[1].toUpperCase(), date: match[2] };
}

/** The GeoJSON area: a file path, or the JSON itself. */
async function area(value: string): Promise<unknown> {
  const text = value.trim().startsWith('{') ? value : await readFile(value, 'utf8').catch(() => undefined);
  if (text === undefined) throw new CliError(`--area: cannot read ${value}.`);
  try {
    const parsed = JSON.parse(text) as {
      type?: string;
      geometry?: unknown;
      features?: { geometry?: unknown }[];
    };
    // A Feature or a one-feature FeatureCollection (what map tools export) is unwrapped to its geometry.
    if (parsed.type === 'Feature') return parsed.geometry;
    if (parsed.type === 'FeatureCollection' && parsed.features?.length === 1)
      return parsed.features[0]?.geometry;
    return parsed;
  } catch {
    throw new CliError('--area: not valid JSON.');
  }
}

function incidentLines(incident: Incident): string[] {
  const scope = incident.scope;
  return [
    `${incident.exercise ? `${EXERCISE_LABEL} ` : ''}Incident ${incident.id}: ${incident.title}`,
    `  ${incident.type}, ${incident.severity}, ${incident.status}${incident.resolvedAt ? ` at ${time(incident.resolvedAt)}` : ''}`,
    `  window ${time(incident.window.start)} – ${time(incident.window.end)}`,
    ...(scope.airports?.length ? [`  airports ${scope.airports.join(', ')}`] : []),
    ...(scope.area
      ? [`  area ${scope.area.type}${scope.includeOverflights ? ' with overflights' : ''}`]
      : []),
    ...(scope.flights?.length
      ? [`  flights ${scope.flights.map((flight) => `${flight.flightNumber}@${flight.date}`).join(', ')}`]
      : []),
    ...(scope.carriers?.length ? [`  carriers ${scope.carriers.join(', ')}`] : []),
    `  opened by ${incident.createdBy} at ${time(incident.createdAt)}`,
    `  notification deadline ${time(incidentDeadline(incident))}`,
  ];
}

/** `herald incident create`: prints the new incident (its id first). */
export async function incidentCreate(client: ApiClient, options: IncidentCreateOptions): Promise<void> {
  const body = {
    type: options.type,
    title: options.title,
    severity: options.severity,
    window: { start: typedTime('--start', options.start), end: typedTime('--end', options.end) },
    scope: {
      ...(options.airports?.length ? { airports: options.airports.map((code) => code.toUpperCase()) } : {}),
      ...(options.area ? { area: await area(options.area) } : {}),
      ...(options.overflights ? { includeOverflights: true } : {}),
      ...(options.flights?.length ? { flights: options.flights.map(flightRef) } : {}),
      ...(options.carriers?.length ? { carriers: options.carriers.map((code) => code.toUpperCase()) } : {}),
    },
    ...(options.deadlineMinutes ? { deadlineMinutes: options.deadlineMinutes } : {}),
    ...(options.exercise ? { exercise: true } : {}),
  };
  const incident = await client.post<Incident>('/incidents', body);
  print(options, incident, () => incidentLines(incident));
}

/** `herald incident list`: newest first. */
export async function incidentList(client: ApiClient, options: OutputOptions): Promise<void> {
  const items = await client.list<IncidentSummary>('/incidents');
  print(options, items, () =>
    items.length === 0
      ? 'No incidents.'
      : table(
          ['id', 'status', 'severity', 'type', 'window start', 'title'],
          items.map((incident) => [
            incident.id,
            incident.exercise ? `${incident.status} (${EXERCISE_LABEL.toLowerCase()})` : incident.status,
            incident.severity,
            incident.type,
            time(incident.window.start),
            incident.title,
          ]),
        ),
  );
}

/** `herald incident show <id>`: the incident and its broadcasts. */
export async function incidentShow(client: ApiClient, id: string, options: OutputOptions): Promise<void> {
  const path = `/incidents/${encodeURIComponent(id)}`;
  const incident = await client.get<Incident>(path);
  const items = await client.list<BroadcastSummary>(`${path}/broadcasts`);
  print(options, { ...incident, broadcasts: items }, () => [
    ...incidentLines(incident),
    '',
    ...(items.length === 0
      ? ['No broadcasts yet.']
      : items.flatMap((broadcast) => [...broadcastLines(broadcast), ''])),
  ]);
}

/** `herald incident resolve <id>`. */
export async function incidentResolve(client: ApiClient, id: string, options: OutputOptions): Promise<void> {
  const incident = await client.post<Incident>(`/incidents/${encodeURIComponent(id)}/resolve`);
  print(options, incident, () => `Incident ${incident.id} resolved at ${time(incident.resolvedAt)}.`);
}

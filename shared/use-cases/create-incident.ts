import { randomUUID } from 'node:crypto';
import { findAirport } from '#shared/domain/airports.ts';
import {
  DEFAULT_DEADLINE_MINUTES,
  type DeadlineRequest,
  deadlineErrors,
  notificationDeadline,
} from '#shared/domain/deadline.ts';
import { type FieldError, ValidationError } from '#shared/domain/errors.ts';
import { windowErrors } from '#shared/domain/limits.ts';
import type { Incident, IncidentType, Scope, Severity, TimeWindow } from '#shared/domain/model.ts';
import { firstNonXmlChar } from '#shared/domain/xml-text.ts';
import type { AuditStore, IncidentStore } from '#shared/ports/stores.ts';
import { recordAudit } from './record-audit.ts';

export interface CreateIncidentDeps {
  incidents: IncidentStore;
  audit: AuditStore;
  /** The airline's notification deadline, minutes after opening, for an incident that sets none. */
  defaultDeadlineMinutes?: number;
}

export interface CreateIncidentInput extends DeadlineRequest {
  type: IncidentType;
  title: string;
  titleByLanguage?: Incident['titleByLanguage'];
  severity: Severity;
  window: TimeWindow;
  scope: Scope;
  /** A rehearsal: only staff test numbers are texted, nothing public is posted (exercise.ts). */
  exercise?: boolean;
}

function scopeErrors(input: CreateIncidentInput, openedAt: string): FieldError[] {
  const errors: FieldError[] = [];
  const titles: [path: string, title: string][] = [
    ['title', input.title],
    ...Object.entries(input.titleByLanguage ?? {}).map(([language, title]): [string, string] => [
      `titleByLanguage.${language}`,
      title ?? '',
    ]),
  ];
  for (const [path, title] of titles) {
    const forbidden = firstNonXmlChar(title);
    // The title reaches CAP, Atom and RSS, where such a character makes the whole document invalid.
    if (forbidden)
      errors.push({
        path,
        message: `The title contains ${forbidden}, a control character XML cannot carry.`,
      });
  }
  errors.push(...windowErrors(input.window));
  errors.push(...deadlineErrors(openedAt, input));
  (input.scope.airports ?? []).forEach((code, index) => {
    if (!findAirport(code))
      errors.push({ path: `scope.airports[${index}]`, message: `Unknown airport code '${code}'.` });
  });
  const { airports = [], area, includeOverflights, flights = [], carriers = [] } = input.scope;
  if (airports.length + flights.length + carriers.length === 0 && !area) {
    errors.push({ path: 'scope', message: 'Name at least one airport, area, flight or carrier.' });
  }
  if (includeOverflights && !area) {
    errors.push({ path: 'scope.includeOverflights', message: 'Overflights need an area to fly over.' });
  }
  return errors;
}

/**
 * Opens an incident.
 * 1. checks the rules the schema cannot: no character XML forbids in the title (in any language), a window in
 *    order, in sane years and at most 14 days long, known airports, a non-empty scope,
 *    overflights only with an area, a notification deadline after the opening within its bounds;
 * 2. stores it as open, recording who opened it and its deadline (the one asked for, else the
 *    airline's default minutes after opening); records `incident.created`.
 */
export async function createIncident(
  input: CreateIncidentInput,
  createdBy: string,
  deps: CreateIncidentDeps,
): Promise<Incident> {
  const createdAt = new Date().toISOString();
  const errors = scopeErrors(input, createdAt);
  if (errors.length > 0) throw new ValidationError('The incident is not valid.', errors);
  const { deadlineMinutes: _minutes, notificationDeadline: _deadline, ...fields } = input;
  const incident: Incident = {
    id: randomUUID(),
    ...fields,
    scope: { ...input.scope, airports: input.scope.airports?.map((code) => code.toUpperCase()) },
    status: 'open',
    createdAt,
    createdBy,
    notificationDeadline: notificationDeadline(
      createdAt,
      input,
      deps.defaultDeadlineMinutes ?? DEFAULT_DEADLINE_MINUTES,
    ),
  };
  await deps.incidents.create(incident);
  await recordAudit(deps.audit, {
    actor: createdBy,
    action: 'incident.created',
    resource: { type: 'incident', id: incident.id },
    details: {
      title: incident.title,
      type: incident.type,
      severity: incident.severity,
      ...(incident.exercise ? { exercise: true } : {}),
    },
  });
  return incident;
}

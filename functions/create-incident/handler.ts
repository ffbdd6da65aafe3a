import { z } from 'zod';
import { DynamoAuditStore } from '#shared/adapters/dynamodb/audit-store.ts';
import { DynamoIncidentStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { deadlineConfig } from '#shared/config.ts';
import {
  MAX_AREA_POSITIONS,
  MAX_SCOPE_AIRPORTS,
  MAX_SCOPE_CARRIERS,
  MAX_SCOPE_FLIGHTS,
} from '#shared/domain/limits.ts';
import { INCIDENT_TYPES, SEVERITIES, type TranslationLanguage } from '#shared/domain/model.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { createIncident } from '#shared/use-cases/create-incident.ts';

const isoWithOffset = z.iso.datetime({ offset: true });

/** GeoJSON position: [longitude, latitude], an altitude allowed after them. */
const position = z.tuple(
  [
    z
      .number()
      .min(-180, 'Longitude must be between -180 and 180.')
      .max(180, 'Longitude must be between -180 and 180.'),
    z
      .number()
      .min(-90, 'Latitude must be between -90 and 90.')
      .max(90, 'Latitude must be between -90 and 90.'),
  ],
  z.number(),
);
/** A closed linear ring (RFC 7946 §3.1.6). */
const ring = z
  .array(position)
  .min(4, 'A ring needs at least 4 positions.')
  .refine((positions) => {
    const [first, last] = [positions[0], positions.at(-1)];
    return first?.[0] === last?.[0] && first?.[1] === last?.[1];
  }, 'A ring must end at the position it starts from.');
const polygon = z.array(ring).min(1, 'A polygon needs at least its outer ring.');
const area = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('Polygon'), coordinates: polygon }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(polygon).min(1) }),
  ])
  .superRefine((value, context) => {
    const polygons = value.type === 'Polygon' ? [value.coordinates] : value.coordinates;
    let positions = 0;
    for (const rings of polygons) for (const ring of rings) positions += ring.length;
    if (positions > MAX_AREA_POSITIONS)
      context.addIssue({
        code: 'too_big',
        origin: 'array',
        maximum: MAX_AREA_POSITIONS,
        inclusive: true,
        input: value,
        path: ['coordinates'],
        message: `An area may have at most ${MAX_AREA_POSITIONS} positions in all; this one has ${positions}.`,
      });
  });

const Title = z.string().trim().max(200, 'At most 200 characters.');

const CreateIncidentBody = z.object({
  type: z.enum(INCIDENT_TYPES),
  /** In English: what a language without its own title shows. */
  title: Title.min(1),
  /** The title in Finnish and Swedish, for the SMS in those languages. */
  titleByLanguage: z
    .object({ fi: Title.optional(), sv: Title.optional() } satisfies Record<TranslationLanguage, unknown>)
    .strict()
    .optional(),
  severity: z.enum(SEVERITIES),
  window: z.object({ start: isoWithOffset, end: isoWithOffset }),
  /** When every passenger should have been told; or `deadlineMinutes` after opening; else the airline's default. */
  notificationDeadline: isoWithOffset.optional(),
  deadlineMinutes: z.number().int().optional(),
  /** A rehearsal: staff test numbers texted, nothing public posted, the exercise feed (docs/exercises.md). */
  exercise: z.boolean().optional(),
  scope: z.object({
    airports: z
      .array(z.string().regex(/^[A-Za-z]{3}$/, 'Use a three-letter IATA code.'))
      .max(MAX_SCOPE_AIRPORTS, `At most ${MAX_SCOPE_AIRPORTS} airports; use an area for a wider region.`)
      .optional(),
    area: area.optional(),
    includeOverflights: z.boolean().optional(),
    flights: z
      .array(z.object({ flightNumber: z.string().regex(/^[A-Z0-9]{2}\d{1,4}[A-Z]?$/), date: z.iso.date() }))
      .max(MAX_SCOPE_FLIGHTS, `At most ${MAX_SCOPE_FLIGHTS} flights.`)
      .optional(),
    carriers: z
      .array(z.string().regex(/^[A-Z0-9]{2}$/, 'Use a two-character IATA carrier code.'))
      .max(MAX_SCOPE_CARRIERS, `At most ${MAX_SCOPE_CARRIERS} carriers.`)
      .optional(),
  }),
});

const deps = {
  incidents: new DynamoIncidentStore(),
  audit: new DynamoAuditStore(),
  defaultDeadlineMinutes: deadlineConfig().defaultMinutes,
};

/** POST /incidents */
export const handler = apiHandler(async ({ body, caller }) => {
  const incident = await createIncident(CreateIncidentBody.parse(body), caller.user, deps);
  return { status: 201, body: incident };
});

import { z } from 'zod';
import { DynamoIncidentStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { INCIDENT_TYPES, SEVERITIES } from '#shared/domain/model.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { createIncident } from '#shared/use-cases/create-incident.ts';

const isoWithOffset = z.iso.datetime({ offset: true });

const CreateIncidentBody = z.object({
  type: z.enum(INCIDENT_TYPES),
  title: z.string().trim().min(1).max(200),
  severity: z.enum(SEVERITIES),
  window: z.object({ start: isoWithOffset, end: isoWithOffset }),
  scope: z.object({
    airports: z.array(z.string().regex(/^[A-Za-z]{3}$/, 'Use a three-letter IATA code.')).optional(),
    flights: z
      .array(z.object({ flightNumber: z.string().regex(/^[A-Z0-9]{2}\d{1,4}[A-Z]?$/), date: z.iso.date() }))
      .optional(),
    carriers: z.array(z.string().regex(/^[A-Z0-9]{2}$/, 'Use a two-character IATA carrier code.')).optional(),
  }),
});

const incidents = new DynamoIncidentStore();

/** POST /incidents */
export const handler = apiHandler(async ({ body, caller }) => {
  const incident = await createIncident(CreateIncidentBody.parse(body), caller.user, incidents);
  return { status: 201, body: incident };
});

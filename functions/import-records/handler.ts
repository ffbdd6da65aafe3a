import { z } from 'zod';
import { DynamoBookingIndex } from '#shared/adapters/dynamodb/booking-index.ts';
import { DynamoCustomerDirectory } from '#shared/adapters/dynamodb/customer-directory.ts';
import { DynamoFlightCatalog } from '#shared/adapters/dynamodb/flight-catalog.ts';
import { IMPORT_KINDS, MAX_LINE_LENGTH } from '#shared/domain/import-formats.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { HttpProblemError } from '#shared/http/problem.ts';
import { importRecords } from '#shared/use-cases/import-records.ts';

/** Lines one request may carry: a chunk of a file, well inside the Lambda payload limit. */
export const MAX_LINES_PER_REQUEST = 1_000;

const ImportBody = z.object({
  firstLine: z.number().int().min(1),
  // A line may be too long to import, but it is still a line to reject, not a malformed request.
  lines: z.array(z.string().max(MAX_LINE_LENGTH * 4)).max(MAX_LINES_PER_REQUEST),
});

const deps = {
  flights: new DynamoFlightCatalog(),
  customers: new DynamoCustomerDirectory(),
  bookings: new DynamoBookingIndex(),
};

/** POST /imports/{kind} */
export const handler = apiHandler(async ({ pathParameters, body }) => {
  const kind = IMPORT_KINDS.find((candidate) => candidate === pathParameters.kind);
  if (!kind)
    throw new HttpProblemError(
      400,
      'Unknown import kind',
      `Import kind must be one of ${IMPORT_KINDS.join(', ')}.`,
    );
  const result = await importRecords(kind, ImportBody.parse(body), deps);
  return { status: 200, body: result };
});

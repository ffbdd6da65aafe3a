import { z } from 'zod';
import type { AirportList } from '#shared/api/airports.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { airportsWithin, searchAirports } from '#shared/use-cases/search-airports.ts';

const degrees = (limit: number) => z.number().min(-limit).max(limit);

/** "west,south,east,north" in degrees: the box a map shows. */
const Box = z
  .string()
  .transform((text) => text.split(',').map(Number))
  .pipe(z.tuple([degrees(180), degrees(90), degrees(180), degrees(90)]))
  .transform(([west, south, east, north]) => ({ west, south, east, north }))
  .refine((box) => box.south <= box.north, 'south must not be north of north');

const AirportQuery = z.object({
  q: z.string().max(60).default(''),
  within: Box.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(10),
});

/**
 * GET /airports?q=hel: airports by IATA code, city or name (OpenFlights), for the console's picker;
 * GET /airports?within=west,south,east,north: those inside a box, for the console's map. Each
 * with its latitude and longitude.
 */
export const handler = apiHandler(async ({ query }) => {
  const { q, within, limit } = AirportQuery.parse(query);
  return {
    status: 200,
    body: { items: within ? airportsWithin(within, limit) : searchAirports(q, limit) } satisfies AirportList,
  };
});

import { z } from 'zod';
import { apiHandler } from '#shared/http/api-handler.ts';
import { searchAirports } from '#shared/use-cases/search-airports.ts';

const AirportQuery = z.object({
  q: z.string().max(60).default(''),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

/** GET /airports?q=hel: airports by IATA code, city or name (OpenFlights), for the console's picker. */
export const handler = apiHandler(async ({ query }) => {
  const { q, limit } = AirportQuery.parse(query);
  return { status: 200, body: { items: searchAirports(q, limit) } };
});

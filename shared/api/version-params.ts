import { z } from 'zod';

/** The `{id}` and `{version}` of /templates/{id}/versions/{version}/…: a bad version is a 400. */
export const VersionParams = z.object({
  id: z.string().min(1),
  version: z.coerce.number().int().positive(),
});

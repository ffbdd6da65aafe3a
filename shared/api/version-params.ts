import { z } from 'zod';

/** The `{id}` and `{version}` of /templates/{id}/versions/{version}/…: a bad version is a 400. */
export const VersionParams = z.object({
  id: z.string().min(1),
  version: z.coerce.number().int().positive(),
});

/** What a template write answers: the version it created or moved. */
export const versionRef = (template: { id: string; version: number; status: string }) => ({
  id: template.id,
  version: template.version,
  status: template.status,
});

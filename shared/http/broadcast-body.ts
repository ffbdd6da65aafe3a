import { z } from 'zod';
import { MAX_ID_LENGTH } from '#shared/domain/limits.ts';
import { BROADCAST_KINDS, CHANNELS } from '#shared/domain/model.ts';

/** The body of POST /incidents/{id}/broadcasts, and of the preview, which takes the same. */
export const BroadcastBody = z.object({
  templateId: z.string().min(1).max(MAX_ID_LENGTH, `At most ${MAX_ID_LENGTH} characters.`),
  templateVersion: z.number().int().positive().optional(),
  variables: z.record(z.string(), z.string().max(500)).default({}),
  channels: z
    .array(z.enum(CHANNELS))
    .min(1)
    .default([...CHANNELS]),
  kind: z.enum(BROADCAST_KINDS).default('initial'),
});

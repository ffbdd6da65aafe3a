import { z } from 'zod';
import { MAX_ID_LENGTH } from '#shared/domain/limits.ts';
import { BROADCAST_KINDS, CHANNELS, type TranslationLanguage } from '#shared/domain/model.ts';

const Variables = z.record(z.string(), z.string().max(500));

/** The body of POST /incidents/{id}/broadcasts, and of the preview, which takes the same. */
export const BroadcastBody = z.object({
  templateId: z.string().min(1).max(MAX_ID_LENGTH, `At most ${MAX_ID_LENGTH} characters.`),
  templateVersion: z.number().int().positive().optional(),
  /** In English: what a language without its own value shows. */
  variables: Variables.default({}),
  /** The same variables in Finnish and Swedish. */
  variablesByLanguage: z
    .object({ fi: Variables.optional(), sv: Variables.optional() } satisfies Record<
      TranslationLanguage,
      unknown
    >)
    .strict()
    .optional(),
  channels: z
    .array(z.enum(CHANNELS))
    .min(1)
    .default([...CHANNELS]),
  kind: z.enum(BROADCAST_KINDS).default('initial'),
});

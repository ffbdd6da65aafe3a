/** The JSON bodies of the template routes, shared by their handlers. */
import { z } from 'zod';
import type { Language, TemplateField } from '#shared/domain/model.ts';

/** A missing field is not a 400 here: the rules answer it with a 422 naming the field. */
const text = z.string().max(2000).optional();
const LanguageContent = z
  .object({ sms: text, social: text, statusTitle: text, statusBody: text } satisfies Record<
    TemplateField,
    unknown
  >)
  .strict();
const Content = z
  .object({
    fi: LanguageContent.optional(),
    sv: LanguageContent.optional(),
    en: LanguageContent.optional(),
  } satisfies Record<Language, unknown>)
  .strict();

/**
 * The other kinds' wordings beside `content` (the first message's): an update's and a
 * resolution's. Left out of a PUT, they carry over from the latest version, as settings do;
 * `null` removes one.
 */
const Wordings = {
  updateContent: Content.nullable().optional(),
  resolutionContent: Content.nullable().optional(),
};

const VariableName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, 'Use letters, digits and _, at most 40.');

const Settings = {
  allowedVariables: z.array(VariableName).max(50).optional(),
  freeTextVariables: z.array(VariableName).max(10).optional(),
  maxVariableLength: z.number().int().min(1).max(500).optional(),
  allowThread: z.boolean().optional(),
  smsSegmentBudget: z.number().int().min(1).max(10).optional(),
};

/** POST /templates. */
export const CreateTemplateBody = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'Use lower-case letters, digits and -, 2 to 63.'),
  name: z.string().trim().min(1).max(200),
  content: Content,
  ...Wordings,
  ...Settings,
});

/** PUT /templates/{id}: settings left out are carried over from the latest version. */
export const UpdateTemplateBody = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  content: Content,
  ...Wordings,
  ...Settings,
});

/** POST /templates/{id}/versions/{v}/reject. */
export const RejectTemplateBody = z.object({ reason: z.string().trim().min(1).max(1000) });

export type CreateTemplateInput = z.infer<typeof CreateTemplateBody>;
export type UpdateTemplateInput = z.infer<typeof UpdateTemplateBody>;

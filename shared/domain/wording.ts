/**
 * Which of a template version's wordings a broadcast kind sends. A version carries the first
 * message's wording (`content`) and may carry an update's and a resolution's of its own; one
 * approval covers them all, so a version's texts are reviewed and versioned together.
 *
 * A version with one wording (every version written before kinds had their own) keeps working:
 * its wording is the disruption text, sent for the first message and for updates. A resolution
 * never falls back to it: passengers told "services are back to normal" must not read "may be
 * affected by a strike" again.
 */
import type { FieldError } from './errors.ts';
import { type BroadcastKind, type TemplateVersion, type TemplateWording, WORDING_FIELDS } from './model.ts';

type Wordings = Pick<TemplateVersion, 'content' | 'updateContent' | 'resolutionContent'>;

/** The wording a broadcast of `kind` renders, or undefined when the version has none for it. */
export function kindWording(template: Wordings, kind: BroadcastKind): TemplateWording | undefined {
  if (kind === 'update') return template.updateContent ?? template.content;
  return template[WORDING_FIELDS[kind]];
}

/** True when the version has a wording of this kind's own, not one it falls back to. */
export const hasOwnWording = (template: Wordings, kind: BroadcastKind): boolean =>
  template[WORDING_FIELDS[kind]] !== undefined;

/** Why a version cannot send a broadcast of `kind` (a 422 on `kind`), or nothing. */
export function missingWordingErrors(
  template: Wordings & Pick<TemplateVersion, 'id' | 'version'>,
  kind: BroadcastKind,
): FieldError[] {
  if (kindWording(template, kind)) return [];
  return [
    {
      path: 'kind',
      message: `Version ${template.version} of '${template.id}' has no ${kind} wording, and a ${kind} never repeats the disruption text. Approve a version with ${WORDING_FIELDS[kind]}, choose another template, or resolve the incident without a message.`,
    },
  ];
}

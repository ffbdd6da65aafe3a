/**
 * What of a broadcast reaches the public channels (X, Facebook, the status site and its feeds),
 * and the rules on it: an operator's unreviewed incident title never does, and no value an
 * operator typed may carry personal data there. Checked when a broadcast is created and again
 * when a comms lead approves one; the preview shows the same findings as warnings.
 */
import type { FieldError } from './errors.ts';
import type { Broadcast, Channel, TemplateField, TemplateVersion } from './model.ts';
import { type OperatorText, operatorEntries } from './operator-text.ts';
import { describeFindings, findPersonalData } from './personal-data.ts';
import { templateVariables } from './render.ts';
import { OPERATOR_TITLE } from './template-rules.ts';
import { kindWording } from './wording.ts';

/** What of a broadcast (or a request for one) decides what reaches the public channels. */
export type PublicRequest = Pick<Broadcast, 'kind' | 'channels'> & OperatorText;

/** The template fields each channel renders; SMS is private. */
const PUBLIC_FIELDS: Record<Channel, readonly TemplateField[]> = {
  sms: [],
  x: ['social'],
  facebook: ['social'],
  status: ['statusTitle', 'statusBody'],
};

function publicFieldsOf(channels: readonly Channel[]): TemplateField[] {
  return [...new Set(channels.flatMap((channel) => PUBLIC_FIELDS[channel]))];
}

/** Every variable name (`vars.gate`, `incident.title`) the kind's wording renders on the given channels. */
function publicVariableNames(template: TemplateVersion, request: PublicRequest): Set<string> {
  const fields = publicFieldsOf(request.channels);
  return new Set(
    Object.values(kindWording(template, request.kind) ?? {}).flatMap((content) =>
      fields.flatMap((field) => templateVariables(content?.[field] ?? '')),
    ),
  );
}

/**
 * The field errors that keep a broadcast off the public channels:
 * 1. a version approved before public fields lost `{{incident.title}}` that still renders it there;
 * 2. a variable rendered on a public channel whose value, in any language, holds a phone number,
 *    an e-mail address or a booking reference (named masked).
 */
export function publicTextErrors(template: TemplateVersion, request: PublicRequest): FieldError[] {
  const rendered = publicVariableNames(template, request);
  const errors: FieldError[] = [];
  if (rendered.has(OPERATOR_TITLE)) {
    errors.push({
      path: 'templateVersion',
      message: `Version ${template.version} of '${template.id}' puts the unreviewed {{${OPERATOR_TITLE}}} on a public channel; approve a version without it, or send by SMS only.`,
    });
  }
  for (const { path, name, value } of operatorEntries(request)) {
    if (!rendered.has(`vars.${name}`)) continue;
    const findings = findPersonalData(value);
    if (findings.length > 0)
      errors.push({
        path,
        message: `Contains ${describeFindings(findings)}; public channels never carry personal data.`,
      });
  }
  return errors;
}

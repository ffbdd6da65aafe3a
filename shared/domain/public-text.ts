/**
 * What of a broadcast reaches the public channels (X, Facebook, the status site and its feeds),
 * and the rules on it: an operator's unreviewed incident title never does, and no value an
 * operator typed may carry personal data there. Checked when a broadcast is created and again
 * when a comms lead approves one; the preview shows the same findings as warnings.
 */
import type { FieldError } from './errors.ts';
import type { Channel, TemplateField, TemplateVersion } from './model.ts';
import { describeFindings, findPersonalData } from './personal-data.ts';
import { templateVariables } from './render.ts';
import { OPERATOR_TITLE } from './template-rules.ts';

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

/** Every variable name (`vars.gate`, `incident.title`) the template renders on the given channels. */
function publicVariableNames(template: TemplateVersion, channels: readonly Channel[]): Set<string> {
  const fields = publicFieldsOf(channels);
  return new Set(
    Object.values(template.content).flatMap((content) =>
      fields.flatMap((field) => templateVariables(content?.[field] ?? '')),
    ),
  );
}

/**
 * The field errors that keep a broadcast off the public channels:
 * 1. a version approved before public fields lost `{{incident.title}}` that still renders it there;
 * 2. a variable rendered on a public channel whose value holds a phone number, an e-mail address
 *    or a booking reference (named masked).
 */
export function publicTextErrors(
  template: TemplateVersion,
  channels: readonly Channel[],
  variables: Record<string, string>,
): FieldError[] {
  const rendered = publicVariableNames(template, channels);
  const errors: FieldError[] = [];
  if (rendered.has(OPERATOR_TITLE)) {
    errors.push({
      path: 'templateVersion',
      message: `Version ${template.version} of '${template.id}' puts the unreviewed {{${OPERATOR_TITLE}}} on a public channel; approve a version without it, or send by SMS only.`,
    });
  }
  for (const [name, value] of Object.entries(variables)) {
    if (!rendered.has(`vars.${name}`)) continue;
    const findings = findPersonalData(value);
    if (findings.length > 0)
      errors.push({
        path: `variables.${name}`,
        message: `Contains ${describeFindings(findings)}; public channels never carry personal data.`,
      });
  }
  return errors;
}

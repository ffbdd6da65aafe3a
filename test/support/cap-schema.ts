/** Validates CAP documents against the OASIS CAP 1.2 schema with xmllint (Debian's libxml2-utils). */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Beside the repository: `../shared/standards/` from its root, in a clone and in CI alike. */
export const CAP_XSD = fileURLToPath(new URL('../../../shared/standards/CAP-v1.2.xsd', import.meta.url));

/** xmllint's verdict on one document: valid, or its error lines. */
export function validateCap(xml: string): { valid: boolean; errors: string } {
  const result = spawnSync('xmllint', ['--noout', '--nonet', '--schema', CAP_XSD, '-'], {
    input: xml,
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  // On success xmllint still prints "- validates".
  return result.status === 0 ? { valid: true, errors: '' } : { valid: false, errors: result.stderr.trim() };
}

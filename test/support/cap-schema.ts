/**
 * Validates CAP documents against the OASIS CAP 1.2 schema in this process, with libxml2
 * compiled to WebAssembly (`libxml2-wasm`): no system xmllint, no network.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { XmlDocument, XmlLibError, XmlValidateError, XsdValidator } from 'libxml2-wasm';

/** Vendored in the repository (test/standards/), so any checkout validates the same way. */
export const CAP_XSD = fileURLToPath(new URL('../standards/CAP-v1.2.xsd', import.meta.url));

let validator: XsdValidator | undefined;

/**
 * The compiled schema, built once per process and kept with its document for the process's life
 * (libxml2 may point into the schema document while validating). A missing or unreadable schema
 * throws: a check that cannot run must fail the test, never pass it.
 */
function capValidator(): XsdValidator {
  validator ??= XsdValidator.fromDoc(XmlDocument.fromString(readFileSync(CAP_XSD, 'utf8'), { url: CAP_XSD }));
  return validator;
}

/**
 * libxml2's verdict on one document: valid, or its messages one a line (`line N: …`), each
 * naming the element and, for a simple type, the failing facet (`[facet 'pattern']`).
 * A document that is not well-formed XML is invalid too.
 */
export function validateCap(xml: string): { valid: boolean; errors: string } {
  const schema = capValidator();
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromString(xml);
  } catch (error) {
    if (error instanceof XmlLibError) return { valid: false, errors: describe(error) };
    throw error;
  }
  try {
    schema.validate(doc);
    return { valid: true, errors: '' };
  } catch (error) {
    if (error instanceof XmlValidateError) return { valid: false, errors: describe(error) };
    throw error;
  } finally {
    doc.dispose();
  }
}

function describe(error: XmlLibError): string {
  return error.details.map((detail) => `line ${detail.line}: ${detail.message.trim()}`).join('\n');
}

/**
 * Reading and writing bodies for the sandboxes. Providers disagree on encodings (Twilio and
 * Graph take forms, X takes JSON), so a body is parsed by its content type and the route
 * decides what it accepts (AWS's JSON protocols are JSON too).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Form fields: one value as a string, a repeated field (Twilio's MediaUrl) as an array. */
export type FormFields = Record<string, string | string[]>;

export type ParsedBody =
  | { ok: true; value: unknown }
  | {
      ok: false;
      detail: string;
    };

/** Reads the whole request body; sandbox payloads are small. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Form fields from a url-encoded string. */
export function parseForm(text: string): FormFields {
  const fields: FormFields = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const existing = fields[key];
    if (existing === undefined) fields[key] = value;
    else fields[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return fields;
}

/**
 * Parses a body by its content type: JSON, url-encoded form, otherwise the raw text. An empty
 * body parses to `undefined` so routes can tell "nothing sent" from "sent something empty".
 */
export function parseBody(contentType: string | undefined, text: string): ParsedBody {
  if (text.length === 0) return { ok: true, value: undefined };
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType === 'application/x-www-form-urlencoded') return { ok: true, value: parseForm(text) };
  // AWS's JSON protocols name their version in the media type (application/x-amz-json-1.0).
  if (
    mediaType === 'application/json' ||
    mediaType.endsWith('+json') ||
    mediaType.startsWith('application/x-amz-json-')
  ) {
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
      return { ok: false, detail: 'The body is not valid JSON.' };
    }
  }
  return { ok: true, value: text };
}

/** Sends a JSON body with the given content type (providers differ: charset, problem+json). */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.destroyed) return;
  const payload = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, {
    ...(payload ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    ...headers,
    'content-length': String(Buffer.byteLength(payload)),
  });
  response.end(payload);
}

/** Talks to the Herald API: JSON in and out, problem+json errors turned into `ApiError`. */
import { z } from 'zod';
import { allPages, type TextPage } from '#shared/api/pages.ts';
import type { Problem } from '#shared/api/problem.ts';
import type { Page } from '#shared/domain/page.ts';
import { ApiError, CliError } from './errors.ts';
import type { ApiSettings } from './settings.ts';

/** Longer than the API's own 29 s timeout, so the API's answer wins when it has one. */
const REQUEST_TIMEOUT_MS = 60_000;

/** What the CLI reads of a problem+json body, checked against the API's own `Problem`. */
const ProblemBody = z.object({
  title: z.string().optional(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
}) satisfies z.ZodType<Partial<Problem>>;

export interface ApiClient {
  readonly apiUrl: string;
  get<T>(path: string): Promise<T>;
  /** Every item of a list route, following `next` page by page. */
  list<T>(path: string): Promise<T[]>;
  post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  /** A GET answered in text (the evidence export's CSV or NDJSON), with the `Link` header naming its next page. */
  text(path: string): Promise<TextPage>;
}

async function problemOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let parsed: z.infer<typeof ProblemBody> = {};
  try {
    parsed = ProblemBody.catch({}).parse(JSON.parse(text));
  } catch {
    // Not JSON (a proxy's error page): the status line is all there is to say.
  }
  return new ApiError(
    response.status,
    parsed.title ?? (response.statusText || 'Request failed'),
    parsed.detail,
    parsed.errors,
  );
}

export function createApiClient(settings: ApiSettings): ApiClient {
  async function send(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${settings.apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${settings.apiKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new CliError(`Cannot reach Herald at ${settings.apiUrl}: ${reason}`, { cause: error });
    }
    if (!response.ok) throw await problemOf(response);
    return response;
  }
  async function request<T>(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    return (await (await send(method, path, body, headers)).json()) as T;
  }
  return {
    apiUrl: settings.apiUrl,
    get: (path) => request('GET', path, undefined),
    list: <T>(path: string) => allPages(path, (page) => request<Page<T>>('GET', page, undefined)),
    // A POST always carries a JSON body: the API's actions take `{}` when they need nothing.
    post: (path, body = {}, headers) => request('POST', path, body, headers),
    put: (path, body) => request('PUT', path, body),
    text: async (path) => {
      const response = await send('GET', path, undefined);
      return { text: await response.text(), link: response.headers.get('link') };
    },
  };
}

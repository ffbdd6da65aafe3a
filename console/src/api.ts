/**
 * The console's one way to the API: same origin, the API key as a Bearer credential, JSON in and
 * out, and every error as the API's problem+json (title, detail and field errors) to show.
 */
import { allPages, type TextPage } from '#shared/api/pages.ts';
import type { Problem } from '#shared/api/problem.ts';
import type { FieldError } from '#shared/domain/errors.ts';
import type { Page } from '#shared/domain/page.ts';

export type { Me } from '#shared/api/me.ts';

const KEY_STORAGE = 'herald.apiKey';

/** Where the API is: same origin locally; config.json's `apiUrl` in AWS. */
let apiBase = '';

export function setApiBase(url: string): void {
  apiBase = url.replace(/\/+$/, '');
}

/** An API error, as problem+json describes it. */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: FieldError[],
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

export function storedKey(): string | undefined {
  return sessionStorage.getItem(KEY_STORAGE) ?? undefined;
}

export function storeKey(key: string | undefined): void {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

async function problemOf(response: Response): Promise<ApiProblem> {
  let body: Partial<Record<keyof Problem, unknown>> = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // Not problem+json (a proxy's page): the status line is all there is.
  }
  const errors = Array.isArray(body.errors)
    ? body.errors.filter(
        (error): error is FieldError =>
          typeof error === 'object' && error !== null && 'path' in error && 'message' in error,
      )
    : [];
  return new ApiProblem(
    response.status,
    typeof body.title === 'string' ? body.title : response.statusText || 'Request failed',
    typeof body.detail === 'string' ? body.detail : undefined,
    errors,
  );
}

/** Calls the API with the signed-in key (or `key`, when signing in), and any extra `headers`. */
export async function api<T>(
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
  key = storedKey(),
  headers: Record<string, string> = {},
): Promise<T> {
  return (await (await send(method, path, body, key, headers)).json()) as T;
}

/** A GET answered in text (the evidence export), with the `Link` header naming its next page. */
export async function apiText(path: string): Promise<TextPage> {
  const response = await send('GET', path);
  return { text: await response.text(), link: response.headers.get('link') };
}

/** The request itself: every error, the network's included, as an ApiProblem. */
async function send(
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
  key = storedKey(),
  headers: Record<string, string> = {},
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(apiBase + path, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiProblem(0, 'Cannot reach Herald', 'Check your connection and try again.', []);
  }
  if (!response.ok) throw await problemOf(response);
  return response;
}

/** Every item of a list route, following `next` page by page. */
export async function apiList<T>(path: string): Promise<{ items: T[] }> {
  return { items: await allPages(path, (page) => api<Page<T>>('GET', page)) };
}

/** Encodes one path segment. */
export const seg = encodeURIComponent;

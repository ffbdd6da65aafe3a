/**
 * The HTTP middlewares of Herald's API and webhook handlers, written as middy's own are (a
 * factory returning the hooks): each does one thing before the handler, or answers its failure.
 * What a middleware finds out for the handler (the caller, the parsed body, Twilio's form fields)
 * it puts on the handler's context, leaving API Gateway's event as it came. Those context fields
 * are optional in type, as Lambda passes its own context in; `providedBy` reads one.
 */
import type { MiddlewareObj } from '@middy/core';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import twilio from 'twilio';
import { routeRoles } from '#shared/api/routes.ts';
import { type FieldError, ValidationError } from '#shared/domain/errors.ts';
import { MAX_ID_LENGTH } from '#shared/domain/limits.ts';
import { ROLES, type Role } from '#shared/domain/roles.ts';
import { errorResponse, HttpProblemError } from './problem.ts';

export interface Caller {
  user: string;
  roles: Role[];
}

type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
type HttpResult = APIGatewayProxyStructuredResultV2;

/** What the API's middlewares add to the context: who calls, and the JSON body (undefined: none). */
export type ApiContext = Context & { caller?: Caller; body?: unknown };
/** What the Twilio webhook's middleware adds to the context: the signed form's fields. */
export type TwilioContext = Context & { params?: Record<string, string> };

/** A value a middleware of the handler's chain put on the context: missing only if the chain lost it. */
export function providedBy<T>(middleware: string, value: T | undefined): T {
  if (value === undefined) throw new Error(`The ${middleware} middleware did not run before the handler`);
  return value;
}

/** Answers any failure as problem+json (problem.ts), logging the server's own with the route. */
export function problemResponses(): MiddlewareObj<APIGatewayProxyEventV2, HttpResult> {
  return {
    onError: (request) => {
      request.response = errorResponse(request.error, { routeKey: request.event.routeKey });
    },
  };
}

/**
 * Cognito groups as API Gateway passes them: a JSON array, or its flattened "[a b]" string form.
 */
function groupsFromClaims(claims: Record<string, unknown>): string[] {
  const groups = claims['cognito:groups'];
  if (Array.isArray(groups)) return groups.map(String);
  if (typeof groups === 'string')
    return groups
      .replace(/^\[|\]$/g, '')
      .split(/[\s,]+/)
      .filter(Boolean);
  return [];
}

function callerOf(event: ApiEvent): Caller | undefined {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (!claims) return undefined;
  const user = claims.username ?? claims['cognito:username'] ?? claims.sub;
  if (typeof user !== 'string' || user === '') return undefined;
  const roles = groupsFromClaims(claims).filter((group): group is Role =>
    (ROLES as readonly string[]).includes(group),
  );
  return { user, roles };
}

/**
 * The caller from the authorizer's claims, let through only with a role the route names in
 * shared/api/routes.ts (401 without a caller, 403 with the wrong role or an unknown route).
 */
export function authorization(): MiddlewareObj<ApiEvent, HttpResult, Error, ApiContext> {
  return {
    before: ({ event, context }) => {
      const roles = routeRoles(event.routeKey);
      const caller = callerOf(event);
      if (!caller)
        throw new HttpProblemError(
          401,
          'Unauthorized',
          'Send a valid API key or token as a Bearer credential.',
        );
      if (roles !== 'public' && !(roles && caller.roles.some((role) => roles.includes(role))))
        throw new HttpProblemError(403, 'Forbidden', `Your role may not call ${event.routeKey}.`);
      context.caller = caller;
    },
  };
}

/**
 * Ids in the path and the Idempotency-Key over MAX_ID_LENGTH refused as field errors, before any
 * handler, so no store is asked to read or write a key it cannot hold.
 */
export function idLengthLimit(): MiddlewareObj<ApiEvent, HttpResult, Error, ApiContext> {
  return {
    before: ({ event }) => {
      const values: [string, string | undefined][] = [
        ...Object.entries(event.pathParameters ?? {}),
        ['Idempotency-Key', event.headers?.['idempotency-key']],
      ];
      const tooLong: FieldError[] = values.flatMap(([path, value]) =>
        value !== undefined && value.length > MAX_ID_LENGTH
          ? [{ path, message: `At most ${MAX_ID_LENGTH} characters.` }]
          : [],
      );
      if (tooLong.length > 0) throw new ValidationError('An id or key is too long.', tooLong);
    },
  };
}

/** The body as API Gateway passed it, decoded from base64 when it says so. */
function bodyText(event: APIGatewayProxyEventV2): string {
  const body = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
}

/** The JSON body parsed (400 when it is not JSON); the handler validates it with zod. */
export function jsonBody(): MiddlewareObj<ApiEvent, HttpResult, Error, ApiContext> {
  return {
    before: ({ event, context }) => {
      const text = bodyText(event);
      if (text === '') {
        context.body = undefined;
        return;
      }
      try {
        context.body = JSON.parse(text);
      } catch {
        throw new HttpProblemError(400, 'Malformed JSON', 'The request body is not valid JSON.');
      }
    },
  };
}

/**
 * Twilio's form fields, let through only when the X-Twilio-Signature matches them and the full
 * public URL Twilio called (checked by the twilio library; 403 otherwise).
 */
export function twilioSignature(
  settings: () => Promise<{ authToken: string; publicApiUrl: string }>,
): MiddlewareObj<APIGatewayProxyEventV2, HttpResult, Error, TwilioContext> {
  return {
    before: async ({ event, context }) => {
      const { authToken, publicApiUrl } = await settings();
      const params = Object.fromEntries(new URLSearchParams(bodyText(event)));
      const url = `${publicApiUrl.replace(/\/$/, '')}${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`;
      const signature = event.headers['x-twilio-signature'] ?? '';
      if (!twilio.validateRequest(authToken, signature, url, params))
        throw new HttpProblemError(403, 'Forbidden', 'The X-Twilio-Signature does not match this request.');
      context.params = params;
    },
  };
}

/**
 * The middy stack every API Lambda shares: identity and role check against the API's route roles,
 * JSON body parsing, and the one problem+json error mapper. A handler only says how to
 * turn a parsed request into a result.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { routeRoles } from '#shared/api/routes.ts';
import { type FieldError, ValidationError } from '#shared/domain/errors.ts';
import { MAX_ID_LENGTH } from '#shared/domain/limits.ts';
import { ROLES, type Role } from '#shared/domain/roles.ts';
import { withLambdaDefaults } from '#shared/lambda-defaults.ts';
import { errorResponse, HttpProblemError } from './problem.ts';

export interface Caller {
  user: string;
  roles: Role[];
}

export interface ApiRequest {
  caller: Caller;
  pathParameters: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  headers: Record<string, string | undefined>;
  /** Parsed JSON body, or undefined when there was none. Validate it with zod. */
  body: unknown;
}

/**
 * A JSON answer, or one already in its own format (the evidence export's CSV and NDJSON) sent as
 * it is, with its content type and any other headers.
 */
export type ApiResult =
  | { status: number; body: unknown }
  | { status: number; text: string; headers: Record<string, string> };

type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

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

function authorize(event: ApiEvent): Caller {
  const roles = routeRoles(event.routeKey);
  const caller = callerOf(event);
  if (!caller)
    throw new HttpProblemError(401, 'Unauthorized', 'Send a valid API key or token as a Bearer credential.');
  if (roles === 'public') return caller;
  if (!roles || !caller.roles.some((role) => roles.includes(role))) {
    throw new HttpProblemError(403, 'Forbidden', `Your role may not call ${event.routeKey}.`);
  }
  return caller;
}

function parseBody(event: ApiEvent): unknown {
  if (event.body === undefined || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpProblemError(400, 'Malformed JSON', 'The request body is not valid JSON.');
  }
}

/**
 * Ids in the path and the Idempotency-Key over MAX_ID_LENGTH, as field errors: checked before any
 * handler, so no store is asked to read or write a key it cannot hold.
 */
function idLengthErrors(event: ApiEvent): FieldError[] {
  const values: [string, string | undefined][] = [
    ...Object.entries(event.pathParameters ?? {}),
    ['Idempotency-Key', event.headers?.['idempotency-key']],
  ];
  return values.flatMap(([path, value]) =>
    value !== undefined && value.length > MAX_ID_LENGTH
      ? [{ path, message: `At most ${MAX_ID_LENGTH} characters.` }]
      : [],
  );
}

/** Wraps an API action in the shared middleware. */
export function apiHandler(action: (request: ApiRequest) => Promise<ApiResult>) {
  return withLambdaDefaults<ApiEvent, APIGatewayProxyStructuredResultV2>()
    .onError((request) => {
      request.response = errorResponse(request.error, { routeKey: request.event.routeKey });
    })
    .handler(async (event) => {
      const caller = authorize(event);
      const tooLong = idLengthErrors(event);
      if (tooLong.length > 0) throw new ValidationError('An id or key is too long.', tooLong);
      const result = await action({
        caller,
        pathParameters: event.pathParameters ?? {},
        query: event.queryStringParameters ?? {},
        headers: event.headers ?? {},
        body: parseBody(event),
      });
      if ('text' in result) return { statusCode: result.status, headers: result.headers, body: result.text };
      return {
        statusCode: result.status,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(result.body),
      };
    });
}

/**
 * The middy stack every API Lambda shares (middlewares.ts): the one problem+json error mapper,
 * the caller's role checked against the route's, ids kept within bounds, the JSON body parsed.
 * A handler only says how to turn a parsed request into a result.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { withLambdaDefaults } from '#shared/lambda-defaults.ts';
import {
  type ApiContext,
  authorization,
  type Caller,
  idLengthLimit,
  jsonBody,
  problemResponses,
  providedBy,
} from './middlewares.ts';

export type { Caller } from './middlewares.ts';

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

/** Wraps an API action in the shared middleware. */
export function apiHandler(action: (request: ApiRequest) => Promise<ApiResult>) {
  return withLambdaDefaults<
    APIGatewayProxyEventV2WithJWTAuthorizer,
    APIGatewayProxyStructuredResultV2,
    ApiContext
  >()
    .use(problemResponses())
    .use(authorization())
    .use(idLengthLimit())
    .use(jsonBody())
    .handler(async (event, { caller, body }) => {
      const result = await action({
        caller: providedBy('authorization', caller),
        pathParameters: event.pathParameters ?? {},
        query: event.queryStringParameters ?? {},
        headers: event.headers ?? {},
        body,
      });
      if ('text' in result) return { statusCode: result.status, headers: result.headers, body: result.text };
      return {
        statusCode: result.status,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(result.body),
      };
    });
}

/**
 * The one place that turns errors into RFC 9457 problem+json responses. Errors under 500
 * are shown to the caller; anything else becomes a plain 500 without detail, so a stack
 * trace, a secret or a phone number never leaves the process.
 */
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ZodError } from 'zod';
import type { Problem } from '#shared/api/problem.ts';
import {
  ConflictError,
  type FieldError,
  InvalidCursorError,
  NotFoundError,
  ValidationError,
} from '#shared/domain/errors.ts';
import { logger } from '#shared/logger.ts';

export class HttpProblemError extends Error {
  override readonly name = 'HttpProblemError';
  constructor(
    readonly status: number,
    readonly title: string,
    detail?: string,
  ) {
    super(detail ?? title);
  }
}

const TYPE_BASE = 'https://herald.example/problems/';

function zodPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`))
    .join('')
    .replace(/^\./, '');
}

/** Field errors from a zod failure, each with the JSON path of the offending field. */
export function fieldErrorsFromZod(error: ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: zodPath(issue.path) || '(body)', message: issue.message }));
}

/**
 * DynamoDB refusing a value the caller sent: an id or key over its 2,048-byte key limit, a record
 * over 400 KB, an empty key. Bad input, not a fault of Herald: a 4xx, never a 500.
 */
export function isStoreRefusal(error: unknown): error is DynamoDBServiceException {
  return error instanceof DynamoDBServiceException && error.name === 'ValidationException';
}

/** DynamoDB's wording for the size limits (AWS and DynamoDB Local alike). */
const SIZE_LIMIT = /size|bytes/i;

/** Maps any thrown value to a problem document. */
export function toProblem(error: unknown): Problem {
  if (error instanceof ZodError && error.issues.every((issue) => issue.code === 'too_big')) {
    // Well-formed, but over one of Herald's limits (shared/domain/limits.ts): a rule, as RFC 9110 means 422.
    return {
      type: `${TYPE_BASE}over-limit`,
      title: 'Over a limit',
      status: 422,
      detail: 'One or more values are over a limit Herald sets; each error names the field and the limit.',
      errors: fieldErrorsFromZod(error),
    };
  }
  if (error instanceof ZodError) {
    return {
      type: `${TYPE_BASE}invalid-request`,
      title: 'The request is not valid',
      status: 400,
      detail: 'One or more fields are missing or malformed.',
      errors: fieldErrorsFromZod(error),
    };
  }
  if (error instanceof ValidationError) {
    return {
      type: `${TYPE_BASE}unprocessable`,
      title: 'The request cannot be processed',
      status: 422,
      detail: error.message,
      errors: error.errors,
    };
  }
  if (error instanceof InvalidCursorError) {
    return {
      type: `${TYPE_BASE}invalid-cursor`,
      title: 'The request is not valid',
      status: 400,
      detail: error.message,
      errors: [{ path: 'next', message: 'Pass the `next` value of the previous page as it was.' }],
    };
  }
  if (error instanceof NotFoundError) {
    return { type: `${TYPE_BASE}not-found`, title: 'Not found', status: 404, detail: error.message };
  }
  if (error instanceof ConflictError) {
    return { type: `${TYPE_BASE}conflict`, title: 'Conflict', status: 409, detail: error.message };
  }
  if (error instanceof HttpProblemError) {
    return {
      type: `${TYPE_BASE}${error.status}`,
      title: error.title,
      status: error.status,
      detail: error.message,
    };
  }
  if (isStoreRefusal(error)) {
    // DynamoDB's own message names no value, but it is not the caller's vocabulary: say it in ours.
    return SIZE_LIMIT.test(error.message)
      ? {
          type: `${TYPE_BASE}too-large`,
          title: 'A value is too large to store',
          status: 422,
          detail:
            'An id or key is longer than 2,048 bytes, or the record would be larger than 400 KB. Send shorter ids and smaller bodies.',
        }
      : {
          type: `${TYPE_BASE}invalid-request`,
          title: 'The request is not valid',
          status: 400,
          detail: 'The request holds a value that cannot be stored (an empty id, for one).',
        };
  }
  return { type: `${TYPE_BASE}internal`, title: 'Internal Server Error', status: 500 };
}

/**
 * The response for an error a handler threw, logged where someone must look: a 500 as an error,
 * a value DynamoDB refused as a warning (the caller's fault, unless Herald built a bad request).
 */
export function errorResponse(
  error: unknown,
  context: Record<string, unknown>,
): APIGatewayProxyStructuredResultV2 {
  const problem = toProblem(error);
  if (problem.status >= 500) logger.error('Unhandled error', { ...context, error });
  else if (isStoreRefusal(error)) logger.warn('DynamoDB refused a value', { ...context, error });
  return problemResponse(problem);
}

export function problemResponse(problem: Problem): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify(problem),
  };
}

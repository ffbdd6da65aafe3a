import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidCursorError } from '#shared/domain/errors.ts';
import { toProblem } from '#shared/http/problem.ts';

/** A DynamoDB refusal as the SDK throws it, with the message AWS and DynamoDB Local send. */
const refusal = (message: string, name = 'ValidationException') =>
  new DynamoDBServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 400 }, message });

describe('the error mapper', () => {
  it.each([
    'Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes',
    'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of 2048 bytes',
    'Item size has exceeded the maximum allowed size',
    'Item size to update has exceeded the maximum allowed size',
  ])('maps DynamoDB refusing a value too large to a 422 (%s)', (message) => {
    const problem = toProblem(refusal(message));

    expect(problem).toMatchObject({ status: 422, title: 'A value is too large to store' });
    expect(JSON.stringify(problem)).not.toContain(message);
  });

  it('maps any other value DynamoDB refuses (an empty key) to a 400', () => {
    const problem = toProblem(
      refusal(
        'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
      ),
    );

    expect(problem.status).toBe(400);
  });

  it('keeps a DynamoDB fault that is not the caller’s (throttling) a 500 without detail', () => {
    const problem = toProblem(refusal('Rate exceeded', 'ThrottlingException'));

    expect(problem).toEqual({
      type: 'https://herald.example/problems/internal',
      title: 'Internal Server Error',
      status: 500,
    });
  });

  it('maps a value over one of Herald’s limits (zod too_big) to a 422 naming the field and the limit', () => {
    const scope = z.object({ airports: z.array(z.string()).max(2, 'At most 2 airports.') });

    const problem = toProblem(scope.safeParse({ airports: ['HEL', 'ARN', 'OSL'] }).error);

    expect(problem).toMatchObject({
      status: 422,
      title: 'Over a limit',
      errors: [{ path: 'airports', message: 'At most 2 airports.' }],
    });
  });

  it('keeps a request that is malformed as well as over a limit a 400 listing both', () => {
    const body = z.object({ airports: z.array(z.string()).max(2), title: z.string() });

    const problem = toProblem(body.safeParse({ airports: ['HEL', 'ARN', 'OSL'] }).error);

    expect(problem.status).toBe(400);
    expect(problem.errors?.map((error) => error.path)).toEqual(['airports', 'title']);
  });

  it('maps a cursor Herald did not issue to a 400 on `next`', () => {
    const problem = toProblem(new InvalidCursorError('The cursor was changed.'));

    expect(problem).toMatchObject({ status: 400, errors: [{ path: 'next' }] });
  });
});

/**
 * The API handler's middlewares (shared/http/middlewares.ts): each call authorized by the route
 * roles of shared/api/routes.ts (a role the route names passes; any other role, and any route key
 * the API does not have, is refused), ids kept within bounds, and the JSON body parsed.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { lambdaContext } from '#infra/local/runtime/lambda-context.ts';
import { MAX_ID_LENGTH } from '#shared/domain/limits.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { captureJsonLines } from '#test/support/json-lines.ts';

const handler = apiHandler(async ({ caller, body }) => ({ status: 200, body: { caller, body } }));

/** A call on `routeKey` by a user in these Cognito groups, or with no credentials at all. */
function call(
  routeKey: string,
  groups?: string[],
  request: Partial<APIGatewayProxyEventV2WithJWTAuthorizer> = {},
) {
  const event = {
    routeKey,
    rawPath: '/',
    headers: {},
    requestContext: groups
      ? { authorizer: { jwt: { claims: { username: 'ana', 'cognito:groups': groups } } } }
      : {},
    isBase64Encoded: false,
    ...request,
  } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
  return handler(event, lambdaContext('api', 5_000));
}

const answer = async (response: ReturnType<typeof call>) => JSON.parse((await response).body ?? '');

beforeEach(() => {
  captureJsonLines();
});

describe('apiHandler authorization', () => {
  it('lets a role the route names call it, with the roles Herald knows', async () => {
    const response = await call('POST /broadcasts/{id}/approve', ['comms_lead', 'some-other-group']);

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '').caller).toEqual({ user: 'ana', roles: ['comms_lead'] });
  });

  it('refuses a role the route does not name', async () => {
    expect((await call('POST /broadcasts/{id}/approve', ['operator', 'admin'])).statusCode).toBe(403);
  });

  it('refuses a route key the API does not have, whatever the role', async () => {
    expect((await call('DELETE /incidents/{id}', ['admin'])).statusCode).toBe(403);
  });

  it('asks for credentials when the call has none', async () => {
    expect((await call('GET /incidents')).statusCode).toBe(401);
  });
});

describe('apiHandler request', () => {
  const create = (request: Partial<APIGatewayProxyEventV2WithJWTAuthorizer>) =>
    call('POST /incidents', ['operator'], request);

  it('hands the JSON body over parsed, base64 or not, and none as undefined', async () => {
    const json = JSON.stringify({ title: 'Strike' });

    expect((await answer(create({ body: json }))).body).toEqual({ title: 'Strike' });
    expect(
      (await answer(create({ body: Buffer.from(json).toString('base64'), isBase64Encoded: true }))).body,
    ).toEqual({ title: 'Strike' });
    expect((await answer(create({}))).body).toBeUndefined();
  });

  it('refuses a body that is not JSON as a problem', async () => {
    const response = await create({ body: '{"title":' });

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '').title).toBe('Malformed JSON');
  });

  it('refuses an id or Idempotency-Key over the length a store holds, naming it', async () => {
    const long = 'x'.repeat(MAX_ID_LENGTH + 1);
    const byPath = await call('GET /incidents/{id}', ['operator'], { pathParameters: { id: long } });
    const byKey = await create({ headers: { 'idempotency-key': long }, body: '{}' });

    expect(byPath.statusCode).toBe(422);
    expect(JSON.parse(byPath.body ?? '').errors).toEqual([
      { path: 'id', message: 'At most 128 characters.' },
    ]);
    expect(byKey.statusCode).toBe(422);
    expect((await create({ headers: { 'idempotency-key': 'x'.repeat(MAX_ID_LENGTH) } })).statusCode).toBe(
      200,
    );
  });
});

/**
 * The API handler authorizes each call by the route roles of shared/api/routes.ts: a role the
 * route names passes, any other role, and any route key the API does not have, is refused.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { lambdaContext } from '#infra/local/runtime/lambda-context.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { captureJsonLines } from '#test/support/json-lines.ts';

const handler = apiHandler(async ({ caller }) => ({ status: 200, body: caller }));

/** A call on `routeKey` by a user in these Cognito groups, or with no credentials at all. */
function call(routeKey: string, groups?: string[]) {
  const event = {
    routeKey,
    rawPath: '/',
    headers: {},
    requestContext: groups
      ? { authorizer: { jwt: { claims: { username: 'ana', 'cognito:groups': groups } } } }
      : {},
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
  return handler(event, lambdaContext('authorization', 5_000));
}

beforeEach(() => {
  captureJsonLines();
});

describe('apiHandler authorization', () => {
  it('lets a role the route names call it, with the roles Herald knows', async () => {
    const response = await call('POST /broadcasts/{id}/approve', ['comms_lead', 'some-other-group']);

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '')).toEqual({ user: 'ana', roles: ['comms_lead'] });
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

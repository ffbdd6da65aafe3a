import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '#functions/manifest.ts';
import type { LocalStack } from '#infra/local/stack.ts';
import { ROLES } from '#shared/domain/roles.ts';
import { startTestStack } from '#test/support/local-stack.ts';

/** A path for a route key with harmless parameters: ids that do not exist, version 1. */
function pathOf(routeKey: string): { method: string; path: string } {
  const [method = '', template = ''] = routeKey.split(' ');
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
    name === 'version' ? '1' : name === 'kind' ? 'flights' : `matrix-${name}-that-does-not-exist`,
  );
  return { method, path };
}

/**
 * Every route in the manifest × every role, and no credential: the one authorization table
 * (functions/manifest.ts) must be what the running API enforces. Bodies are empty JSON objects,
 * so an allowed call ends in a 2xx or a 400/404/409/422, never a write that matters.
 */
describe('authorization matrix: every route × every role', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function call(routeKey: string, key: string | undefined): Promise<number> {
    const { method, path } = pathOf(routeKey);
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
      },
      body: method === 'GET' ? undefined : '{}',
    });
    await response.arrayBuffer();
    return response.status;
  }

  it('covers the template, approval, audit, delivery-record, passenger-lookup and evidence routes', () => {
    const keys = API_ROUTES.map((route) => route.routeKey);
    expect(keys).toEqual(
      expect.arrayContaining([
        'POST /templates',
        'PUT /templates/{id}',
        'POST /templates/{id}/versions/{version}/approve',
        'POST /broadcasts/{id}/approve',
        'GET /audit',
        'GET /broadcasts/{id}/deliveries',
        'GET /passengers',
        'GET /incidents/{id}/evidence',
      ]),
    );
  });

  for (const route of API_ROUTES) {
    it(`${route.routeKey}: ${route.roles === 'public' ? 'public' : route.roles.join(', ')}`, async () => {
      const anonymous = await call(route.routeKey, undefined);
      if (route.roles === 'public') {
        expect(anonymous).not.toBe(401);
        return;
      }
      expect(anonymous).toBe(401);
      const outcome: Record<string, number | string> = {};
      const expected: Record<string, number | string> = {};
      for (const role of ROLES) {
        const key = stack.users.find((user) => user.role === role)?.key;
        const status = await call(route.routeKey, key);
        const allowed = route.roles.includes(role);
        // Allowed: anything but 401/403 and never a 500; refused: exactly 403.
        outcome[role] = allowed
          ? status === 401 || status === 403 || status >= 500
            ? status
            : 'allowed'
          : status;
        expected[role] = allowed ? 'allowed' : 403;
      }
      expect(outcome).toEqual(expected);
    });
  }
});

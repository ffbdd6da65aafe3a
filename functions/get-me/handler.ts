import type { Me } from '#shared/api/me.ts';
import { apiHandler } from '#shared/http/api-handler.ts';

/** GET /me: who the credential belongs to and their roles, so a client can show what they may do. */
export const handler = apiHandler(async ({ caller }) => ({
  status: 200,
  body: { user: caller.user, roles: caller.roles } satisfies Me,
}));

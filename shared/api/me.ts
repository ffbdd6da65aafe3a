import type { Role } from '#shared/domain/roles.ts';

/** GET /me: who the credential belongs to and their roles, so a client can show what they may do. */
export interface Me {
  user: string;
  roles: Role[];
}

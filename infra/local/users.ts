/**
 * Local API keys: from the JSON file named by HERALD_USERS_FILE, or generated demo users,
 * one per role plus a second comms lead so four-eyes approval can be tried.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ROLES } from '#shared/domain/roles.ts';

const UsersFile = z
  .array(z.object({ key: z.string().min(16), user: z.string().min(1), role: z.enum(ROLES) }))
  .min(1);
export type LocalUser = z.infer<typeof UsersFile>[number];

export async function loadUsers(usersFile: string | undefined): Promise<LocalUser[]> {
  if (!usersFile) return demoUsers();
  const parsed = UsersFile.safeParse(JSON.parse(await readFile(usersFile, 'utf8')));
  if (!parsed.success) {
    throw new Error(
      `HERALD_USERS_FILE ${usersFile} is not valid: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

function demoUsers(): LocalUser[] {
  const key = (role: string) => `hk_${role}_${randomBytes(12).toString('hex')}`;
  return [
    { user: 'olli.operator', role: 'operator', key: key('operator') },
    { user: 'cecilia.comms', role: 'comms_lead', key: key('comms_lead') },
    { user: 'kalle.comms', role: 'comms_lead', key: key('comms_lead') },
    { user: 'vera.viewer', role: 'viewer', key: key('viewer') },
    { user: 'aada.admin', role: 'admin', key: key('admin') },
  ];
}

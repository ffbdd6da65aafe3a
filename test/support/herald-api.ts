/** A JSON client of a Herald API run as a child process (`startHerald`), acting with one API key. */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Broadcast, Incident } from '#shared/domain/model.ts';

/** Writes a users file with one operator key into `dir`; returns its path and the key. */
export async function operatorUsersFile(dir: string): Promise<{ path: string; key: string }> {
  const key = `hk_test_${randomBytes(12).toString('hex')}`;
  const path = join(dir, 'users.json');
  await writeFile(path, JSON.stringify([{ key, user: 'olli.operator', role: 'operator' }]));
  return { path, key };
}

export function heraldApi(apiUrl: () => string, key: string) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${apiUrl()}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return {
    call,
    /** Opens a strike incident at `airport` over `window` and sends the demo template by SMS only. */
    async smsBroadcast(airport: string, window: { start: string; end: string }): Promise<string> {
      const incident = await call<Incident>('POST', '/incidents', {
        type: 'strike',
        title: `Strike at ${airport}`,
        severity: 'severe',
        window,
        scope: { airports: [airport] },
      });
      const { id } = await call<{ id: string }>('POST', `/incidents/${incident.id}/broadcasts`, {
        templateId: 'strike-disruption',
        channels: ['sms'],
      });
      return id;
    },
    broadcast: (id: string) => call<Broadcast & { countsFinal: boolean }>('GET', `/broadcasts/${id}`),
  };
}

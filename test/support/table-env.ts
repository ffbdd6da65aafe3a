import { vi } from 'vitest';
import { TABLES } from '#shared/tables.ts';

/** Gives every table's environment variable a name (its own, lower-cased) for adapters under test; undo with vi.unstubAllEnvs. */
export function stubTableEnvironment(): void {
  for (const { envVar } of TABLES) vi.stubEnv(envVar, envVar.toLowerCase());
}

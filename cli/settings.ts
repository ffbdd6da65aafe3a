/** The CLI's settings (contract.md, "Command line"), read from the environment once. */
import { z } from 'zod';
import { DEFAULT_DISPLAY_ZONE, isTimeZone } from '#shared/domain/display-time.ts';
import { CliError } from './errors.ts';

const CliSettings = z.object({
  HERALD_API_URL: z.url().default('http://127.0.0.1:3000'),
  HERALD_API_KEY: z.string().min(1).optional(),
});

export interface ApiSettings {
  apiUrl: string;
  apiKey: string;
}

/** The API's URL and key; fails with the variable's name when one is missing or malformed. */
export function apiSettings(env: NodeJS.ProcessEnv = process.env): ApiSettings {
  const result = CliSettings.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new CliError(`Invalid settings: ${problems.join('; ')}`);
  }
  if (!result.data.HERALD_API_KEY)
    throw new CliError('Set HERALD_API_KEY to an API key (npm start prints the demo keys).');
  return { apiUrl: result.data.HERALD_API_URL.replace(/\/+$/, ''), apiKey: result.data.HERALD_API_KEY };
}

/** The zone times are printed in: `HERALD_TIME_ZONE` (an IANA name), else UTC, as the ops room reads them. */
export function displayZone(env: NodeJS.ProcessEnv = process.env): string {
  const zone = env.HERALD_TIME_ZONE?.trim() || DEFAULT_DISPLAY_ZONE;
  if (!isTimeZone(zone))
    throw new CliError(
      `Invalid settings: HERALD_TIME_ZONE: '${zone}' is not a time zone (e.g. UTC, Europe/Helsinki).`,
    );
  return zone;
}

/** The CLI's settings (contract.md, "Command line"), read from the environment once. */
import { z } from 'zod';
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

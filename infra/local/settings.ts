/** The local stack's settings (contract.md, "Local stack"), read from the environment once. */
import { z } from 'zod';
import {
  deadlineMinutesSetting,
  exerciseNumbersSetting,
  fallbackPrefixesSetting,
  readSmsSenderPool,
  smsMaxReceivesSetting,
} from '#shared/config.ts';
import { DEFAULT_DISPLAY_ZONE, isTimeZone } from '#shared/domain/display-time.ts';
import { LAMBDA_CODE, LAMBDA_RUNTIMES } from './runtime/local-lambda.ts';
import { parseLatencyProfile } from './sandboxes/faults.ts';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);

const LocalSettings = z.object({
  HERALD_PORT: port(3000),
  HERALD_DYNAMODB_PORT: port(8000),
  HERALD_SANDBOX_TWILIO_PORT: port(3001),
  HERALD_SANDBOX_X_PORT: port(3002),
  HERALD_SANDBOX_FACEBOOK_PORT: port(3003),
  /** A free port unless set: the fallback provider is off by default, and no caller has to name it. */
  HERALD_SANDBOX_AWS_SMS_PORT: port(0),
  HERALD_DATA_DIR: z.string().min(1).optional(),
  HERALD_SEED: z.enum(['demo', 'none']).default('demo'),
  /** Customers of the demo airline: 90 to read every row; thousands to watch a large broadcast. */
  HERALD_DEMO_CUSTOMERS: z.coerce.number().int().min(1).max(100_000).default(90),
  HERALD_USERS_FILE: z.string().min(1).optional(),
  /** How functions run: `faithful`, isolated instances as in Lambda, or `in-process`, in the stack's thread. */
  HERALD_LAMBDA_RUNTIME: z.enum(LAMBDA_RUNTIMES).default('faithful'),
  /** What functions run: the TypeScript `source`, or the `bundle`s cdk synth builds. */
  HERALD_LAMBDA_CODE: z.enum(LAMBDA_CODE).default('source'),
  /** Read here only to size the SMS queue's concurrency as CDK sizes the SMS Lambda's; the worker reads it too. */
  HERALD_SMS_MPS: z.coerce.number().positive().default(1),
  /** The sender pool (docs/sms-senders.md), read here to fail at start naming the bad entry; the SMS worker reads it too. */
  HERALD_SMS_SENDERS: z
    .string()
    .optional()
    .transform((setting, context) => {
      try {
        return readSmsSenderPool(setting);
      } catch (error) {
        context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    }),
  /** Receives the SMS queue gives a batch (2 to 10; default 10): fewer reach a batch's last receive sooner. */
  HERALD_SMS_MAX_RECEIVES: smsMaxReceivesSetting.optional(),
  /** Read here only to fail at start rather than at the first incident; create-incident reads it (config.ts). */
  HERALD_NOTIFICATION_DEADLINE_MINUTES: deadlineMinutesSetting.optional(),
  /** Read here only to fail at start; the planner and the SMS worker read it (config.ts). */
  HERALD_EXERCISE_NUMBERS: exerciseNumbersSetting,
  /** Point at provider sandboxes that outlive this stack (tests that restart it); its own ones still start. */
  HERALD_TWILIO_URL: z.url().optional(),
  HERALD_X_URL: z.url().optional(),
  HERALD_FACEBOOK_URL: z.url().optional(),
  HERALD_AWS_SMS_URL: z.url().optional(),
  /**
   * The fallback SMS provider's sender (docs/sms-failover.md): set, the SMS worker fails over to the
   * AWS End User Messaging SMS sandbox; unset (the default), every SMS goes to Twilio as before.
   */
  HERALD_SMS_FALLBACK_ORIGINATION_IDENTITY: z.string().min(1).optional(),
  /** Read here only to fail at start naming a bad prefix; the SMS worker reads it (config.ts). */
  HERALD_SMS_FALLBACK_PREFIXES: fallbackPrefixesSetting,
  /** The ops room's zone, in which the console shows every time (an IANA name; default UTC). */
  HERALD_TIME_ZONE: z
    .string()
    .default(DEFAULT_DISPLAY_ZONE)
    .refine(isTimeZone, { message: 'not a time zone (e.g. UTC, Europe/Helsinki)' }),
  /** Latency of the sandboxes' provider APIs, e.g. `twilio=150-300,x=100-200,facebook=100-250` (ms). */
  HERALD_SANDBOX_LATENCY: z
    .string()
    .default('')
    .transform((text, context) => {
      try {
        return parseLatencyProfile(text);
      } catch (error) {
        context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    }),
});

export type LocalSettings = z.infer<typeof LocalSettings>;

export function readLocalSettings(env: NodeJS.ProcessEnv = process.env): LocalSettings {
  const result = LocalSettings.safeParse(env);
  if (!result.success) {
    throw new Error(
      `Invalid local settings: ${result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  return result.data;
}

/**
 * Configuration from the environment, read and validated once per concern (a worker that
 * never sends SMS must not need Twilio settings). A missing or bad variable fails fast
 * with its name.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_DEADLINE_MINUTES } from '#shared/domain/deadline.ts';
import { isValidE164 } from '#shared/domain/eligibility.ts';
import { MAX_EXERCISE_NUMBERS } from '#shared/domain/exercise.ts';
import { NOTIFICATION_DEADLINE_MINUTES } from '#shared/domain/limits.ts';
import { parseSmsSenderPool, poolRate, type SmsSenderPool } from '#shared/domain/sms-senders.ts';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function once<T>(load: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= load();
    return value;
  };
}

function read<S extends z.ZodRawShape>(
  shape: S,
  source: Record<string, string | undefined> = process.env,
): z.infer<z.ZodObject<S>> {
  const result = z.object(shape).safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
}

const required = z.string().min(1);
const url = z.url();

export const tablesConfig = once(() => {
  const env = read({
    FLIGHTS_TABLE: required,
    CUSTOMERS_TABLE: required,
    BOOKINGS_TABLE: required,
    HERALD_TABLE: required,
    DELIVERIES_TABLE: required,
  });
  return {
    flights: env.FLIGHTS_TABLE,
    customers: env.CUSTOMERS_TABLE,
    bookings: env.BOOKINGS_TABLE,
    herald: env.HERALD_TABLE,
    deliveries: env.DELIVERIES_TABLE,
  };
});

/** Settings of the Twilio webhooks: the public base URL Twilio calls (it signs the full URL) and the HELP reply. */
export const webhookConfig = once(() =>
  read({
    HERALD_PUBLIC_API_URL: url,
    HERALD_SMS_HELP_TEXT: z
      .string()
      .min(1)
      .max(320)
      .default(
        'Herald travel alerts: texts about disruptions to your flights. Reply STOP to opt out, START to opt back in.',
      ),
  }),
);

export const busConfig = once(() => read({ BROADCAST_TOPIC_ARN: required }));

/** Where approval notices go (the approvals topic) and the console they link to. */
export const approvalsConfig = once(() => read({ APPROVALS_TOPIC_ARN: required, HERALD_CONSOLE_URL: url }));

export const statusSiteConfig = once(() =>
  read({
    STATUS_BUCKET: required,
    /** The site's public origin for the absolute links in feeds and CAP alerts; unset: the demo origin. */
    HERALD_STATUS_SITE_URL: url.optional(),
  }),
);

/** The settings secret of one provider, named by the ARN in this variable. */
export type SecretArnVariable = 'TWILIO_SECRET_ARN' | 'X_SECRET_ARN' | 'FACEBOOK_SECRET_ARN';

const secretValuesSchema = z.record(z.string(), z.string());

/**
 * In AWS a provider's credentials live in Secrets Manager as JSON with the same keys as the
 * environment variables (`{"TWILIO_AUTH_TOKEN": "…"}`), read by shared/clients/providers.ts.
 */
function secretValues(arnVariable: SecretArnVariable, text: string): Record<string, string> {
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch {
    // No cause and no detail: JSON.parse's message quotes the start of the secret.
    throw new ConfigError(`The secret named by ${arnVariable} is not JSON`);
  }
  const parsed = secretValuesSchema.safeParse(values);
  if (!parsed.success)
    throw new ConfigError(`The secret named by ${arnVariable} must be a JSON object of string values`);
  return parsed.data;
}

/**
 * A provider's settings: its environment variables, overlaid by the text of its secret when
 * there is one (`undefined` locally and in tests), validated like any other variable. Parsed
 * again only when the secret's text changes, so a rotated secret gives new settings and an
 * unchanged one the same object.
 */
function providerSettings<S extends z.ZodRawShape>(arnVariable: SecretArnVariable, shape: S) {
  let last: { secretText: string | undefined; settings: z.infer<z.ZodObject<S>> } | undefined;
  return (secretText?: string): z.infer<z.ZodObject<S>> => {
    if (last && last.secretText === secretText) return last.settings;
    const secret = secretText === undefined ? {} : secretValues(arnVariable, secretText);
    last = { secretText, settings: read(shape, { ...process.env, ...secret }) };
    return last.settings;
  };
}

export const twilioConfig = providerSettings('TWILIO_SECRET_ARN', {
  TWILIO_ACCOUNT_SID: required,
  TWILIO_AUTH_TOKEN: required,
  TWILIO_FROM: required,
  /** Only set against the local sandbox; the SDK's own hosts otherwise. */
  TWILIO_API_BASE_URL: url.optional(),
});

export const xConfig = providerSettings('X_SECRET_ARN', {
  X_APP_KEY: required,
  X_APP_SECRET: required,
  X_ACCESS_TOKEN: required,
  X_ACCESS_SECRET: required,
  X_API_BASE_URL: url.optional(),
});

export const facebookConfig = providerSettings('FACEBOOK_SECRET_ARN', {
  FACEBOOK_PAGE_ID: required,
  FACEBOOK_PAGE_TOKEN: required,
  FACEBOOK_GRAPH_BASE_URL: url.default('https://graph.facebook.com'),
  FACEBOOK_GRAPH_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/)
    .default('v21.0'),
});

/** Tuning shared by the planner and the SMS worker. */
export const deliveryConfig = once(() => {
  const env = read({
    /** Recipients per SMS worker message: 25 fills one invocation's sends in flight. */
    HERALD_SMS_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(25),
    /** Messages per second across all SMS workers: 1 suits one Twilio long code. */
    HERALD_SMS_MPS: z.coerce.number().positive().max(1000).default(1),
    /** X allows 200 posts per 15 minutes per user. */
    HERALD_X_POSTS_PER_SECOND: z.coerce
      .number()
      .positive()
      .max(100)
      .default(200 / 900),
    HERALD_FACEBOOK_POSTS_PER_SECOND: z.coerce.number().positive().max(100).default(1),
    /** A broadcast that has not moved for this long is swept: its lost work is published again. */
    HERALD_SWEEP_STALL_SECONDS: z.coerce.number().positive().default(300),
    /** A provider call slower than this is a timeout, retried like a 5xx. */
    HERALD_PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    /** Where Twilio posts delivery status callbacks; unset means none are asked for. */
    TWILIO_STATUS_CALLBACK_URL: url.optional(),
  });
  return {
    smsBatchSize: env.HERALD_SMS_BATCH_SIZE,
    smsPerSecond: env.HERALD_SMS_MPS,
    xPerSecond: env.HERALD_X_POSTS_PER_SECOND,
    facebookPerSecond: env.HERALD_FACEBOOK_POSTS_PER_SECOND,
    statusCallbackUrl: env.TWILIO_STATUS_CALLBACK_URL,
    sweepStallSeconds: env.HERALD_SWEEP_STALL_SECONDS,
    providerTimeoutMs: env.HERALD_PROVIDER_TIMEOUT_MS,
  };
});

/**
 * `HERALD_SMS_MAX_RECEIVES`: receives the SMS queue gives a batch message before its dead-letter
 * queue, at most the 10 CDK deploys it with. Only the local stack sets it, for its queue and its
 * functions alike, so a test reaches a batch's last receive in seconds (docs/sms-failover.md).
 */
export const smsMaxReceivesSetting = z.coerce.number().int().min(2).max(10);

/** The SMS queue's receives per message: `deployed` (the manifest's, as CDK creates the queue) unless set. */
export const smsMaxReceivesConfig = (deployed: number): number =>
  read({ HERALD_SMS_MAX_RECEIVES: smsMaxReceivesSetting.default(deployed) }).HERALD_SMS_MAX_RECEIVES;

/**
 * The sender pool of `HERALD_SMS_SENDERS` (docs/sms-senders.md): its JSON inline, or the path of
 * a JSON file. Unset: none, and the one sender of TWILIO_FROM sends at HERALD_SMS_MPS.
 */
export function readSmsSenderPool(setting: string | undefined): SmsSenderPool | undefined {
  if (setting === undefined || setting.trim() === '') return undefined;
  const inline = setting.trimStart().startsWith('{');
  let text = setting;
  if (!inline) {
    try {
      text = readFileSync(setting, 'utf8');
    } catch (error) {
      throw new ConfigError(`HERALD_SMS_SENDERS: cannot read ${setting}`, { cause: error });
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`HERALD_SMS_SENDERS: ${inline ? 'not JSON' : `${setting} is not JSON`}`, {
      cause: error,
    });
  }
  const parsed = parseSmsSenderPool(value);
  if ('problems' in parsed)
    throw new ConfigError(`Invalid HERALD_SMS_SENDERS: ${parsed.problems.join('; ')}`);
  return parsed.pool;
}

export const smsSendersConfig = once(() => readSmsSenderPool(process.env.HERALD_SMS_SENDERS));

/**
 * The SMS rate a broadcast goes out at, in segments per second (Twilio paces by segment): the
 * sender pool's, every sender's rate together, or the one sender's `HERALD_SMS_MPS`.
 */
export const broadcastSmsRate = (): number => {
  const pool = smsSendersConfig();
  return pool ? poolRate(pool) : deliveryConfig().smsPerSecond;
};

/** `HERALD_NOTIFICATION_DEADLINE_MINUTES`, also checked by the local stack as it starts. */
export const deadlineMinutesSetting = z.coerce
  .number()
  .int()
  .min(NOTIFICATION_DEADLINE_MINUTES.min)
  .max(NOTIFICATION_DEADLINE_MINUTES.max);

/** `HERALD_SMS_FALLBACK_PREFIXES`: number prefixes Twilio refuses, sent to the fallback provider first; comma separated. */
export const fallbackPrefixesSetting = z
  .string()
  .default('')
  .transform((text) =>
    text
      .split(',')
      .map((prefix) => prefix.trim())
      .filter((prefix) => prefix.length > 0),
  )
  .pipe(z.array(z.string().regex(/^\+[1-9]\d{0,5}$/, 'a + and 1 to 6 digits, e.g. +7')));

/**
 * The fallback SMS provider, AWS End User Messaging SMS (docs/sms-failover.md): none without an
 * origination identity. CDK sets these from the context `smsFallback`.
 */
export const smsFallbackConfig = once(() => {
  const env = read({
    HERALD_SMS_FALLBACK_ORIGINATION_IDENTITY: z.string().min(1).optional(),
    HERALD_SMS_FALLBACK_CONFIGURATION_SET: z.string().min(1).optional(),
    HERALD_SMS_FALLBACK_PREFIXES: fallbackPrefixesSetting,
    /**
     * How long a record whose send to the fallback may have been accepted waits for its events
     * before it counts as not accepted there: TEXT_PENDING comes within seconds; 2 minutes covers
     * a slow SNS delivery and the event queue's first retries.
     */
    HERALD_SMS_FALLBACK_EVENT_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(120),
  });
  const originationIdentity = env.HERALD_SMS_FALLBACK_ORIGINATION_IDENTITY;
  return originationIdentity === undefined
    ? undefined
    : {
        originationIdentity,
        configurationSetName: env.HERALD_SMS_FALLBACK_CONFIGURATION_SET,
        prefixes: env.HERALD_SMS_FALLBACK_PREFIXES,
        eventGraceMs: env.HERALD_SMS_FALLBACK_EVENT_GRACE_SECONDS * 1000,
      };
});

/** Receipt reconciliation (reconcile-receipts.ts). */
export const receiptConfig = once(() => {
  const env = read({
    /**
     * How long after a broadcast ended its delivery receipts have to arrive before Twilio is asked
     * for those that did not: carriers report most within a minute, and Twilio retries a callback
     * it could not deliver for a few more.
     */
    HERALD_RECEIPT_GRACE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  });
  return { graceMs: env.HERALD_RECEIPT_GRACE_SECONDS * 1000 };
});

/** The airline's notification deadline: minutes after an incident is opened, unless the incident sets its own. */
export const deadlineConfig = once(() => {
  const env = read({
    HERALD_NOTIFICATION_DEADLINE_MINUTES: deadlineMinutesSetting.default(DEFAULT_DEADLINE_MINUTES),
  });
  return { defaultMinutes: env.HERALD_NOTIFICATION_DEADLINE_MINUTES };
});

/** The staff test numbers an exercise texts (exercise.ts): E.164, each once; CDK context `exerciseNumbers`. */
export const exerciseNumberList = z
  .array(z.string().refine(isValidE164, { error: (issue) => `${issue.input} is not an E.164 number` }))
  .max(MAX_EXERCISE_NUMBERS)
  .refine((numbers) => new Set(numbers).size === numbers.length, 'a number is listed twice');

/** `HERALD_EXERCISE_NUMBERS`: the same list, comma separated; also checked by the local stack as it starts. */
export const exerciseNumbersSetting = z
  .string()
  .default('')
  .transform((text) =>
    text
      .split(',')
      .map((number) => number.trim())
      .filter((number) => number.length > 0),
  )
  .pipe(exerciseNumberList);

export const exerciseConfig = once(() => ({
  testNumbers: read({ HERALD_EXERCISE_NUMBERS: exerciseNumbersSetting }).HERALD_EXERCISE_NUMBERS,
}));

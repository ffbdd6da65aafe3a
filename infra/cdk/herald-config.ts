/**
 * Per-environment settings of the CDK app, read once from context and validated with zod.
 * `cdk.json` holds one block per environment under `herald:environments`; `-c env=prod` picks
 * one (default `dev`). Nothing here is secret: provider credentials live in Secrets Manager.
 */
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { z } from 'zod';
import {
  SMS_SENDS_PER_INVOCATION_PER_SECOND,
  smsPoolConcurrency,
  smsWorkerConcurrency,
  WORKERS,
} from '#functions/manifest.ts';
import { exerciseNumberList } from '#shared/config.ts';
import { DEFAULT_DEADLINE_MINUTES } from '#shared/domain/deadline.ts';
import { DEFAULT_DISPLAY_ZONE, isTimeZone } from '#shared/domain/display-time.ts';
import { NOTIFICATION_DEADLINE_MINUTES } from '#shared/domain/limits.ts';
import { pacedRates, parseSmsSenderPool, type SmsSenderPool } from '#shared/domain/sms-senders.ts';

export const ENVIRONMENTS_CONTEXT_KEY = 'herald:environments';
export const ENV_CONTEXT_KEY = 'env';
export const DEFAULT_ENV = 'dev';

/** A context value is missing or malformed; the message names the key. */
export class HeraldContextError extends Error {
  override readonly name = 'HeraldContextError';
}

const RETENTION_DAYS = Object.values(logs.RetentionDays).filter(
  (value): value is number => typeof value === 'number',
);

const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a lower-case DNS name');
const certificateArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, 'an ACM certificate ARN');

/** The pool travels to the functions as JSON in HERALD_SMS_SENDERS, beside their other variables. */
const MAX_SENDERS_JSON = 2_048;

const environmentSchema = z.strictObject({
  /** Makes every key a real deployment needs required (the committed `prod` block sets it). */
  production: z.boolean().default(false),
  account: z
    .string()
    .regex(/^\d{12}$/, 'a 12-digit AWS account id')
    .optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-north-1')
    .default('eu-north-1'),
  twilioFrom: z
    .string()
    .regex(
      /^(\+[1-9]\d{6,14}|MG[0-9a-f]{32}|(?=[A-Za-z0-9 ]*[A-Za-z])[A-Za-z0-9 ]{1,11})$/,
      'an E.164 number (+358…), a Messaging Service SID (MG…) or an alphanumeric sender id of up to 11 characters',
    )
    .optional(),
  facebookPageId: z.string().regex(/^\d+$/, 'the numeric id of the Facebook page').optional(),
  smsPerSecond: z.number().positive().max(1000).default(1),
  smsBatchSize: z.number().int().min(1).max(500).default(10),
  /**
   * The fallback SMS provider, AWS End User Messaging SMS (docs/sms-failover.md): the ARN of the
   * pool, phone number or sender ID it sends from, and the number prefixes Twilio refuses (sent
   * to the fallback first). Without it every SMS goes to Twilio.
   */
  smsFallback: z
    .strictObject({
      originationIdentityArn: z
        .string()
        .regex(
          /^arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:\d{12}:(pool|phone-number|sender-id)\/\S+$/,
          'the ARN of an sms-voice pool, phone number or sender ID',
        ),
      prefixes: z.array(z.string().regex(/^\+[1-9]\d{0,5}$/, 'a + and 1 to 6 digits, e.g. +7')).default([]),
    })
    .optional(),
  /** The staff test numbers an exercise texts instead of its passengers (docs/exercises.md). */
  exerciseNumbers: exerciseNumberList.default([]),
  /**
   * The sender pool (docs/sms-senders.md), checked by the schema HERALD_SMS_SENDERS is: senders by
   * number prefix, each at its own rate. Without it, twilioFrom sends everything at smsPerSecond.
   */
  smsSenders: z
    .unknown()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const parsed = parseSmsSenderPool(value);
      if ('problems' in parsed) {
        for (const problem of parsed.problems) ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      const size = JSON.stringify(parsed.pool).length;
      if (size > MAX_SENDERS_JSON)
        ctx.addIssue({
          code: 'custom',
          message: `${size} characters as JSON; a Lambda's environment holds 4 KB in all, so keep the pool under ${MAX_SENDERS_JSON}`,
        });
      return parsed.pool;
    }),
  /** The airline's notification deadline: minutes after an incident is opened, unless it sets its own. */
  notificationDeadlineMinutes: z
    .number()
    .int()
    .min(NOTIFICATION_DEADLINE_MINUTES.min)
    .max(NOTIFICATION_DEADLINE_MINUTES.max)
    .default(DEFAULT_DEADLINE_MINUTES),
  apiDomainName: hostname.optional(),
  apiCertificateArn: certificateArn.optional(),
  statusDomainName: hostname.optional(),
  statusCertificateArn: certificateArn.optional(),
  logRetentionDays: z
    .number()
    .refine((days) => RETENTION_DAYS.includes(days), {
      message: `one of CloudWatch Logs' retention periods: ${RETENTION_DAYS.join(', ')}`,
    })
    .default(90),
  alarmEmail: z.email().optional(),
  /** Told by e-mail whenever a broadcast or a template version waits for a comms lead. */
  approvalEmails: z.array(z.email()).default([]),
  /** Texted (SNS SMS) whenever a broadcast or a template version waits for a comms lead. */
  approvalPhones: z
    .array(z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number such as +358401234567'))
    .default([]),
  /**
   * The Cognito hosted UI's domain prefix (`<prefix>.auth.<region>.amazoncognito.com`), unique
   * per region; default `herald-<env>-<account id>`.
   */
  authDomainPrefix: z
    .string()
    .regex(
      /^(?!.*(aws|amazon|cognito))[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
      'lower-case letters, digits and hyphens, without aws, amazon or cognito',
    )
    .optional(),
  /** The ops room's zone: the console shows every time in it (an IANA name; default UTC). */
  timeZone: z
    .string()
    .refine(isTimeZone, 'an IANA time zone such as UTC or Europe/Helsinki')
    .default(DEFAULT_DISPLAY_ZONE),
});

type EnvironmentInput = z.infer<typeof environmentSchema>;

const REQUIRED_IN_PRODUCTION: Readonly<Partial<Record<keyof EnvironmentInput, string>>> = {
  account: 'the AWS account to deploy to',
  twilioFrom: 'the SMS sender',
  facebookPageId: 'the page public posts go to',
  alarmEmail: 'where alarms are sent',
};

export interface CustomDomain {
  readonly domainName: string;
  readonly certificateArn: string;
}

export interface HeraldConfig {
  /** The selected block of `herald:environments`. */
  readonly envName: string;
  readonly production: boolean;
  readonly account?: string;
  readonly region: string;
  readonly twilioFrom?: string;
  readonly facebookPageId?: string;
  readonly smsPerSecond: number;
  readonly smsBatchSize: number;
  readonly notificationDeadlineMinutes: number;
  readonly exerciseNumbers: readonly string[];
  /** The sender pool, validated; none: one sender (twilioFrom) at smsPerSecond. */
  readonly smsSenders?: SmsSenderPool;
  /** The fallback SMS provider's sender and the prefixes routed to it first; none: Twilio only. */
  readonly smsFallback?: { readonly originationIdentityArn: string; readonly prefixes: readonly string[] };
  /** Concurrent SMS worker invocations (reserved concurrency and the event source's maximum). */
  readonly smsConcurrency: number;
  readonly apiDomain?: CustomDomain;
  readonly statusDomain?: CustomDomain;
  readonly logRetention: logs.RetentionDays;
  readonly alarmEmail?: string;
  /** Subscribed to the approvals topic: e-mail addresses and E.164 numbers of the comms leads. */
  readonly approvalEmails: readonly string[];
  readonly approvalPhones: readonly string[];
  /** The Cognito hosted UI's domain prefix, when set (else the stateful stack derives one). */
  readonly authDomainPrefix?: string;
  /** The zone the console shows times in. */
  readonly timeZone: string;
}

/** Both keys of a custom domain, or neither; the certificate in the region CloudFront or the API needs. */
function domain(
  env: EnvironmentInput,
  nameKey: 'apiDomainName' | 'statusDomainName',
  arnKey: 'apiCertificateArn' | 'statusCertificateArn',
  certificateRegion: string,
  ctx: z.RefinementCtx,
): void {
  const name = env[nameKey];
  const arn = env[arnKey];
  if (name && !arn) ctx.addIssue({ code: 'custom', path: [arnKey], message: `required with ${nameKey}` });
  if (arn && !name) ctx.addIssue({ code: 'custom', path: [nameKey], message: `required with ${arnKey}` });
  if (arn && arn.split(':')[3] !== certificateRegion) {
    ctx.addIssue({
      code: 'custom',
      path: [arnKey],
      message: `the certificate must be in ${certificateRegion}`,
    });
  }
}

const validatedSchema = environmentSchema.superRefine((env, ctx) => {
  if (env.production) {
    for (const [key, what] of Object.entries(REQUIRED_IN_PRODUCTION)) {
      if (env[key as keyof EnvironmentInput] === undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: `required when production is true (${what})` });
      }
    }
  }
  domain(env, 'apiDomainName', 'apiCertificateArn', env.region, ctx);
  // CloudFront only takes certificates from us-east-1, wherever the stack lives.
  domain(env, 'statusDomainName', 'statusCertificateArn', 'us-east-1', ctx);

  // A batch should finish well inside the worker's timeout (each invocation gets its share of the
  // rate); one that does not carries its rest on in a new message, which costs a publish.
  const sms = WORKERS.find((worker) => worker.handler === 'send-sms');
  if (sms) {
    const concurrency = smsWorkerConcurrency(env.smsPerSecond);
    const secondsPerSend = Math.max(1 / SMS_SENDS_PER_INVOCATION_PER_SECOND, concurrency / env.smsPerSecond);
    const batchSeconds = env.smsBatchSize * secondsPerSend;
    const budget = sms.timeoutSeconds / 2;
    if (batchSeconds > budget) {
      ctx.addIssue({
        code: 'custom',
        path: ['smsBatchSize'],
        message: `a batch of ${env.smsBatchSize} at ${env.smsPerSecond} SMS/s over ${concurrency} workers takes ~${Math.round(batchSeconds)} s; keep it under ${budget} s (half the SMS worker's timeout)`,
      });
    }
  }
});

function describeKey(envName: string, path: PropertyKey[]): string {
  return [ENVIRONMENTS_CONTEXT_KEY, envName, ...path.map(String)].join('.');
}

/**
 * Reads and validates the environment selected by context `env`.
 * Steps: 1. `env` (default `dev`) must name a block of `herald:environments`; 2. the block is
 * parsed strictly, so a misspelt key fails too; 3. a `production` block must name everything a
 * real deployment needs; 4. derived values (SMS concurrency, retention) are computed once.
 * @throws HeraldContextError naming every bad key, e.g. `herald:environments.prod.smsPerSecond`.
 */
export function loadHeraldConfig(node: Node): HeraldConfig {
  const envName: unknown = node.tryGetContext(ENV_CONTEXT_KEY) ?? DEFAULT_ENV;
  const environments: unknown = node.tryGetContext(ENVIRONMENTS_CONTEXT_KEY);
  if (typeof envName !== 'string' || envName.length === 0) {
    throw new HeraldContextError(`Context '${ENV_CONTEXT_KEY}' must name an environment, e.g. -c env=prod`);
  }
  if (typeof environments !== 'object' || environments === null || Array.isArray(environments)) {
    throw new HeraldContextError(
      `Context '${ENVIRONMENTS_CONTEXT_KEY}' must be an object of environments (see cdk.json)`,
    );
  }
  const block: unknown = (environments as Record<string, unknown>)[envName];
  if (block === undefined) {
    const known = Object.keys(environments).join(', ') || 'none';
    throw new HeraldContextError(
      `Context '${ENV_CONTEXT_KEY}' is '${envName}', but '${ENVIRONMENTS_CONTEXT_KEY}' has no such block (known: ${known})`,
    );
  }
  const parsed = validatedSchema.safeParse(block);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => `${describeKey(envName, [...issue.path, key])}: unknown key`)
        : [`${describeKey(envName, issue.path)}: ${issue.message}`],
    );
    throw new HeraldContextError(
      `Invalid CDK context:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  }
  const env = parsed.data;
  return {
    envName,
    production: env.production,
    ...(env.account ? { account: env.account } : {}),
    region: env.region,
    ...(env.twilioFrom ? { twilioFrom: env.twilioFrom } : {}),
    ...(env.facebookPageId ? { facebookPageId: env.facebookPageId } : {}),
    smsPerSecond: env.smsPerSecond,
    smsBatchSize: env.smsBatchSize,
    notificationDeadlineMinutes: env.notificationDeadlineMinutes,
    exerciseNumbers: env.exerciseNumbers,
    ...(env.smsSenders ? { smsSenders: env.smsSenders } : {}),
    ...(env.smsFallback ? { smsFallback: env.smsFallback } : {}),
    smsConcurrency: env.smsSenders
      ? smsPoolConcurrency(pacedRates(env.smsSenders))
      : smsWorkerConcurrency(env.smsPerSecond),
    ...(env.apiDomainName && env.apiCertificateArn
      ? { apiDomain: { domainName: env.apiDomainName, certificateArn: env.apiCertificateArn } }
      : {}),
    ...(env.statusDomainName && env.statusCertificateArn
      ? { statusDomain: { domainName: env.statusDomainName, certificateArn: env.statusCertificateArn } }
      : {}),
    logRetention: env.logRetentionDays as logs.RetentionDays,
    ...(env.alarmEmail ? { alarmEmail: env.alarmEmail } : {}),
    approvalEmails: env.approvalEmails,
    approvalPhones: env.approvalPhones,
    ...(env.authDomainPrefix ? { authDomainPrefix: env.authDomainPrefix } : {}),
    timeZone: env.timeZone,
  };
}

/**
 * Every Lambda Herald runs, described once. The CDK stateless stack creates one function
 * per entry and the local stack dispatches to the same handler modules, so a route or a
 * worker added here exists in both places.
 */
import { ROUTE_ROLES, type RouteKey, type RouteRoles } from '#shared/api/routes.ts';
import type { BusTarget } from '#shared/domain/bus-messages.ts';
import type { TableKey } from '#shared/tables.ts';

export interface ApiRoute {
  routeKey: RouteKey;
  /** Folder under functions/ holding handler.ts. */
  handler: (typeof ROUTE_HANDLERS)[RouteKey];
  roles: RouteRoles;
}

/** The handler of every route of the API (shared/api/routes.ts says who may call it). */
const ROUTE_HANDLERS = {
  'POST /incidents': 'create-incident',
  'GET /incidents': 'list-incidents',
  'GET /incidents/{id}': 'get-incident',
  'POST /incidents/{id}/preview': 'preview-broadcast',
  'POST /incidents/{id}/broadcasts': 'create-broadcast',
  'POST /incidents/{id}/resolve': 'resolve-incident',
  'GET /broadcasts/{id}': 'get-broadcast',
  'GET /broadcasts/{id}/review': 'review-broadcast',
  'POST /broadcasts/{id}/cancel': 'cancel-broadcast',
  'GET /broadcasts/{id}/deliveries': 'list-deliveries',
  'GET /passengers': 'lookup-passenger',
  'GET /incidents/{id}/evidence': 'export-evidence',
  'POST /webhooks/twilio/status': 'twilio-status-webhook',
  'POST /webhooks/twilio/inbound': 'twilio-inbound-webhook',
  'POST /imports/{kind}': 'import-records',
  'POST /templates': 'create-template',
  'GET /templates': 'list-templates',
  'GET /templates/{id}': 'get-template',
  'PUT /templates/{id}': 'update-template',
  'POST /templates/{id}/versions/{version}/submit': 'submit-template',
  'POST /templates/{id}/versions/{version}/approve': 'approve-template',
  'POST /templates/{id}/versions/{version}/reject': 'reject-template',
  'POST /broadcasts/{id}/approve': 'approve-broadcast',
  'GET /approvals': 'list-pending-approvals',
  'GET /audit': 'list-audit',
  'GET /me': 'get-me',
  'GET /incidents/{id}/broadcasts': 'list-incident-broadcasts',
  'GET /airports': 'search-airports',
} as const satisfies Record<RouteKey, string>;

export const API_ROUTES: readonly ApiRoute[] = (Object.keys(ROUTE_HANDLERS) as RouteKey[]).map(
  (routeKey) => ({
    routeKey,
    handler: ROUTE_HANDLERS[routeKey],
    roles: ROUTE_ROLES[routeKey],
  }),
);

/**
 * Request headers the console sends the API from another origin (CloudFront in AWS): API
 * Gateway's CORS preflight and the local server allow these, and no others.
 */
export const API_CORS_HEADERS = ['authorization', 'content-type', 'idempotency-key'] as const;

/** Response headers the console reads from another origin: the evidence export's next page (`Link`). */
export const API_CORS_EXPOSED_HEADERS = ['link'] as const;

/** API Gateway's stage throttle: what operators, comms leads and the console need, with room. */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;
/** Status callbacks Twilio posts per SMS: sent, then delivered (or undelivered). */
const STATUS_CALLBACKS_PER_SMS = 2;

/**
 * The throttle of the routes Twilio calls (roles `public`): its status callbacks at the SMS rate,
 * with as much again for bursts, and never below the stage's. Under the stage's 50/s, receipts of
 * a broadcast at 300 SMS/s would be refused, and Twilio does not retry a refused status callback.
 */
export function webhookThrottle(smsPerSecond: number): { rateLimit: number; burstLimit: number } {
  const rateLimit = Math.max(API_THROTTLE.rateLimit, 2 * STATUS_CALLBACKS_PER_SMS * smsPerSecond);
  return { rateLimit, burstLimit: 2 * rateLimit };
}

export interface Worker {
  handler: string;
  target: BusTarget;
  /** SQS batch size for the event source. */
  batchSize: number;
  /** The Lambda's time limit, locally too; the handler stops its own work a little before it. */
  timeoutSeconds: number;
  /**
   * Seconds a received message stays invisible: twice the timeout, so a message only becomes
   * visible again once the invocation that holds it has certainly ended.
   */
  visibilityTimeoutSeconds: number;
  /**
   * A failed message comes back after this many seconds, doubling with each receive up to the
   * visibility timeout (`redeliveryDelaySeconds`): a transient failure is retried in seconds, while
   * `maxReceiveCount` still spreads the receives over as long an outage as before.
   */
  firstRetryDelaySeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  /**
   * Instances kept initialized (Lambda's provisioned concurrency): the planner and the SMS sender
   * are on the way to a broadcast's first SMS, which must not wait for two cold starts.
   */
  provisionedConcurrency: number;
}

/** A public post's queue (X, Facebook, the status site): one post a message, retried within seconds. */
const PUBLIC_POST_QUEUE = {
  batchSize: 1,
  timeoutSeconds: 30,
  visibilityTimeoutSeconds: 60,
  firstRetryDelaySeconds: 5,
  maxReceiveCount: 8,
  provisionedConcurrency: 0,
} as const;

export const WORKERS = [
  {
    handler: 'plan-broadcast',
    target: 'planner',
    batchSize: 1,
    timeoutSeconds: 450,
    visibilityTimeoutSeconds: 900,
    // 60–120, 120–240, 240–480, 450–900 s: about half an hour, as three full timeouts were.
    firstRetryDelaySeconds: 120,
    maxReceiveCount: 5,
    provisionedConcurrency: 1,
  },
  {
    handler: 'send-sms',
    target: 'sms',
    batchSize: 1,
    timeoutSeconds: 150,
    visibilityTimeoutSeconds: 300,
    // 3–5, 5–10, 10–20 … 150–300 s: a Twilio outage of 10–20 minutes, as four full timeouts (20) were.
    firstRetryDelaySeconds: 5,
    maxReceiveCount: 10,
    provisionedConcurrency: 1,
  },
  { handler: 'post-to-x', target: 'x', ...PUBLIC_POST_QUEUE },
  { handler: 'post-to-facebook', target: 'facebook', ...PUBLIC_POST_QUEUE },
  { handler: 'publish-status', target: 'status', ...PUBLIC_POST_QUEUE },
] as const satisfies readonly Worker[];

export type WorkerName = (typeof WORKERS)[number]['handler'];

/** The worker `name`, with its target as a literal type (its messages' type follows from it). */
export function workerNamed<N extends WorkerName>(
  name: N,
): Extract<(typeof WORKERS)[number], { handler: N }> {
  const worker = WORKERS.find(
    (candidate): candidate is Extract<(typeof WORKERS)[number], { handler: N }> => candidate.handler === name,
  );
  if (!worker) throw new Error(`No worker '${name}' in functions/manifest.ts`);
  return worker;
}

/**
 * The consumer of the fallback SMS provider's delivery events: its configuration set's event
 * destination is an SNS topic of its own, not the broadcast bus, feeding one queue. A record
 * still being sent makes an event wait (record-sms-event.ts): retried within seconds, for as long
 * as a send's lease.
 */
export const SMS_EVENTS_CONSUMER = {
  handler: 'record-sms-events',
  batchSize: 10,
  timeoutSeconds: 30,
  visibilityTimeoutSeconds: 60,
  firstRetryDelaySeconds: 5,
  maxReceiveCount: 10,
} as const satisfies Omit<Worker, 'target' | 'provisionedConcurrency'>;

/** Sends one SMS worker invocation has in flight at once (up to its batch's size). */
export const SMS_SENDS_IN_FLIGHT = 25;
/**
 * Sends per second one SMS worker invocation manages: each send costs a Twilio Messages API
 * call (~150–300 ms) plus the ledger's claim and outcome writes (~20–50 ms), so ~2–3 a second
 * for each of the sends in flight; 50 leaves room for a slower provider.
 */
export const SMS_SENDS_PER_INVOCATION_PER_SECOND = 50;
/**
 * Lower bound of the SMS worker's concurrency: an SQS event source's maximum concurrency cannot
 * be below 2, and reserved concurrency below it would throttle the event source.
 */
export const SMS_MIN_CONCURRENCY = 2;
/** Upper bound: a tenth of the default regional limit of 1,000, so a broadcast never starves the API. */
export const SMS_MAX_CONCURRENCY = 100;

/**
 * Concurrent SMS worker invocations needed to reach `smsPerSecond`: enough to saturate the
 * provider's rate, no more, so a slow provider is not hammered by idle-waiting workers (the
 * shared rate limiter paces them anyway).
 */
export function smsWorkerConcurrency(smsPerSecond: number): number {
  const needed = Math.ceil(smsPerSecond / SMS_SENDS_PER_INVOCATION_PER_SECOND);
  return Math.min(SMS_MAX_CONCURRENCY, Math.max(SMS_MIN_CONCURRENCY, needed));
}

/**
 * The SMS worker's concurrency for a sender pool: what each sender's rate needs, together, so
 * that invocations waiting on a slow sender's limiter leave others for the rest of the pool.
 */
export function smsPoolConcurrency(senderRates: readonly number[]): number {
  const needed = senderRates.reduce((sum, rate) => sum + smsWorkerConcurrency(rate), 0);
  return Math.min(SMS_MAX_CONCURRENCY, needed);
}

export interface WorkerConcurrency {
  /** Reserved concurrency of the function. */
  readonly reserved: number;
  /** The SQS event source's maximum concurrency (at least 2, at most `reserved` unless it is 1). */
  readonly maxConcurrency: number;
}

/**
 * Concurrency limits of the workers that must not scale freely, for CDK and the local stack alike;
 * the others take what the account's unreserved pool gives them.
 * - send-sms: as many invocations as the configured rate needs (`smsConcurrency`, see
 *   smsWorkerConcurrency), so a slow provider is not hammered and the rest of the account keeps
 *   its concurrency;
 * - publish-status: one at a time, so two rebuilds can never finish out of order and leave an
 *   older site last. The event source's floor is 2, so one poll may be throttled at a time: its
 *   message returns after the visibility timeout (a rebuild reads everything, so a late one is
 *   harmless), and a status record it never published is re-queued by the sweeper.
 */
export function workerConcurrency(smsConcurrency: number): Partial<Record<HandlerName, WorkerConcurrency>> {
  return {
    'send-sms': { reserved: smsConcurrency, maxConcurrency: smsConcurrency },
    'publish-status': { reserved: 1, maxConcurrency: 2 },
  };
}

/** The memory of every function, in MB: more memory is more CPU, which shortens SDK cold starts. */
export const FUNCTION_MEMORY_MB = 1024;

/** Where the handler module of a route or worker lives, relative to the repo root. */
export function handlerEntry(handler: HandlerName): string {
  return `functions/${handler}/handler.ts`;
}

/** Lambdas run on a timer: an EventBridge schedule in AWS, an interval in the local stack. */
export interface Schedule {
  handler: string;
  everyMinutes: number;
  /** The Lambda's time limit, locally too; the sweep holds its lease for this long at most. */
  timeoutSeconds: number;
}

export const SCHEDULES = [
  { handler: 'sweep-stalled-broadcasts', everyMinutes: 1, timeoutSeconds: 60 },
  { handler: 'reconcile-receipts', everyMinutes: 1, timeoutSeconds: 60 },
] as const satisfies readonly Schedule[];

/** Lambdas fed by a table's change stream: an event source mapping in AWS, a poller locally. */
export interface StreamConsumer {
  handler: string;
  /** The table whose stream (new and old images) feeds it. */
  table: TableKey;
  /** Records per invocation at most. */
  batchSize: number;
  /** Seconds records are gathered before an invocation whose batch is not full. */
  batchingWindowSeconds: number;
  timeoutSeconds: number;
  /** Tries of a failing batch (split in halves each time) before its records go to the dead-letter queue. */
  retryAttempts: number;
}

export const STREAM_CONSUMERS = [
  // One counter write per broadcast per batch: at most a few a second, however fast the sends.
  {
    handler: 'count-deliveries',
    table: 'deliveries',
    batchSize: 1000,
    batchingWindowSeconds: 1,
    timeoutSeconds: 60,
    retryAttempts: 20,
  },
] as const satisfies readonly StreamConsumer[];

/** Every function Herald deploys, by its handler's folder under functions/. */
export type HandlerName =
  | (typeof ROUTE_HANDLERS)[RouteKey]
  | WorkerName
  | (typeof STREAM_CONSUMERS)[number]['handler']
  | (typeof SCHEDULES)[number]['handler']
  | (typeof SMS_EVENTS_CONSUMER)['handler'];

/** Every function Herald deploys, each once (some only with a context key set, as record-sms-events). */
export const HANDLERS: readonly HandlerName[] = [
  ...new Set<HandlerName>([
    ...Object.values(ROUTE_HANDLERS),
    ...WORKERS.map(({ handler }) => handler),
    ...STREAM_CONSUMERS.map(({ handler }) => handler),
    ...SCHEDULES.map(({ handler }) => handler),
    SMS_EVENTS_CONSUMER.handler,
  ]),
];

/**
 * The whole of Herald on one machine: DynamoDB Local, the provider sandboxes, the in-process
 * SNS/SQS bus with its AWS endpoint, the sweeper's timer and the HTTP front door, wired to the
 * same handlers Lambda runs, each function in instances of its own (runtime/local-lambda.ts).
 * Handlers read their configuration from the environment at import, so this module sets the
 * environment before the first invocation; one stack per process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ScheduledEvent, SQSBatchResponse } from 'aws-lambda';
import {
  API_ROUTES,
  FUNCTION_MEMORY_MB,
  HANDLERS,
  type HandlerName,
  handlerEntry,
  SCHEDULES,
  SMS_EVENTS_CONSUMER,
  STREAM_CONSUMERS,
  smsPoolConcurrency,
  smsWorkerConcurrency,
  WORKERS,
  workerConcurrency,
  workerNamed,
} from '#functions/manifest.ts';
import { API_TIMEOUT_SECONDS } from '#shared/domain/limits.ts';
import { pacedRates } from '#shared/domain/sms-senders.ts';
import { TABLES } from '#shared/tables.ts';
import { ApprovalInbox, type InboxNotice } from './approval-inbox.ts';
import { startAwsEndpoint } from './aws-endpoint.ts';
import { LocalQueue, LocalTopic } from './bus.ts';
import { stackCapacity } from './capacity-endpoint.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { type ApiHandler, startHttpServer } from './http-server.ts';
import { LocalObjectStore } from './object-store.ts';
import { logFunctionError } from './platform-log.ts';
import { lambdaBundles } from './runtime/lambda-bundles.ts';
import {
  createLocalLambda,
  type LambdaDefinition,
  type LocalLambda,
  sourceModuleUrl,
} from './runtime/local-lambda.ts';
import { LOCAL_TWILIO_ACCOUNT_SID, LOCAL_TWILIO_AUTH_TOKEN } from './sandboxes/credentials.ts';
import { sandboxesOptions, startSandboxes } from './sandboxes/index.ts';
import type { LocalSettings } from './settings.ts';
import { setSmsEventDestination, smsFallbackEnvironment } from './sms-fallback.ts';
import { startStreamSource } from './stream-source.ts';
import { type LocalUser, loadUsers } from './users.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const STATUS_BUCKET = 'herald-status-local';
/** Locally the sweeper runs often and calls a broadcast stalled sooner than in AWS. */
const LOCAL_SWEEP_INTERVAL_MS = 5_000;
const LOCAL_SWEEP_STALL_SECONDS = '15';
/**
 * Instances of a function without reserved concurrency at once: in AWS the account's unreserved
 * pool (1,000 by default), here a number one machine's threads can hold.
 */
const LOCAL_UNRESERVED_CONCURRENCY = 10;

export interface LocalStack {
  apiUrl: string;
  statusUrl: string;
  sandboxes: { twilio: string; x: string; facebook: string; awsSms: string };
  dynamoDbEndpoint: string;
  users: LocalUser[];
  queues: Map<string, LocalQueue>;
  /** Approval notices published to the approvals topic, oldest first (also at /__herald/approval-notices). */
  approvalNotices: InboxNotice[];
  close(): Promise<void>;
}

/** Each function's module URL, by handler name: the TypeScript sources, or the bundles cdk synth builds. */
async function functionModules(
  code: LocalSettings['HERALD_LAMBDA_CODE'],
): Promise<(handler: HandlerName) => string> {
  if (code === 'source') return (handler) => sourceModuleUrl(join(REPO_ROOT, handlerEntry(handler)));
  const bundles = await lambdaBundles();
  const bundleOf = (handler: HandlerName) => {
    const bundle = bundles.get(handler);
    if (!bundle) throw new Error(`cdk synth built no bundle for ${handler}`);
    return bundle;
  };
  // Every function's, not only those this stack's settings start: one deployed only with a
  // context key set (record-sms-events) must have its bundle too.
  HANDLERS.forEach(bundleOf);
  return bundleOf;
}

function scheduledEvent(detail: { stalledBefore?: string }): ScheduledEvent<{ stalledBefore?: string }> {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'local',
    resources: [],
    detail,
  };
}

/**
 * Starts the stack.
 * 1. DynamoDB Local with the tables, the sandboxes (or the ones named by HERALD_*_URL), the
 *    status folder, the HTTP server (so its URL is known for Twilio's callbacks);
 * 2. the topic and one queue per worker, and the loopback AWS endpoint for SNS and S3;
 * 3. the environment the handlers read, then the handlers themselves;
 * 4. the demo airline if asked, the status files, a sweep of whatever an earlier run left
 *    unfinished, and the sweeper's timer.
 */
export async function startLocalStack(settings: LocalSettings): Promise<LocalStack> {
  const cleanups: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const dynamoDb = await startDynamoDbLocal({
      port: settings.HERALD_DYNAMODB_PORT,
      dataDir: settings.HERALD_DATA_DIR && join(settings.HERALD_DATA_DIR, 'dynamodb'),
    });
    cleanups.push(dynamoDb.stop);
    const sandboxes = await startSandboxes(sandboxesOptions(settings));
    cleanups.push(sandboxes.close);
    const providerUrls = {
      twilio: settings.HERALD_TWILIO_URL ?? sandboxes.twilio.url,
      x: settings.HERALD_X_URL ?? sandboxes.x.url,
      facebook: settings.HERALD_FACEBOOK_URL ?? sandboxes.facebook.url,
      awsSms: settings.HERALD_AWS_SMS_URL ?? sandboxes.awsSms.url,
    };

    let siteDir = settings.HERALD_DATA_DIR && join(settings.HERALD_DATA_DIR, 'status-site');
    if (!siteDir) {
      const temporary = await mkdtemp(join(tmpdir(), 'herald-status-'));
      cleanups.push(() => rm(temporary, { recursive: true, force: true }));
      siteDir = temporary;
    }
    const site = new LocalObjectStore(siteDir);
    await site.init();

    const users = await loadUsers(settings.HERALD_USERS_FILE);
    const apiHandlers = new Map<string, ApiHandler>();
    const approvalInbox = new ApprovalInbox();
    cleanups.push(() => approvalInbox.stop());
    const http = await startHttpServer({
      port: settings.HERALD_PORT,
      handlers: apiHandlers,
      users,
      site,
      timeZone: settings.HERALD_TIME_ZONE,
      approvalInbox,
    });
    cleanups.push(() => new Promise<void>((done) => http.server.close(() => done())));

    const moduleOf = await functionModules(settings.HERALD_LAMBDA_CODE);
    const senders = settings.HERALD_SMS_SENDERS;
    const reserved = workerConcurrency(
      senders ? smsPoolConcurrency(pacedRates(senders)) : smsWorkerConcurrency(settings.HERALD_SMS_MPS),
    );
    const lambdas: LocalLambda[] = [];
    const lambda = (handler: HandlerName, timeoutSeconds: number, provisioned = 0): LocalLambda => {
      const definition: LambdaDefinition = {
        name: handler,
        moduleUrl: moduleOf(handler),
        timeoutMs: timeoutSeconds * 1000,
        concurrency: reserved[handler]?.reserved ?? LOCAL_UNRESERVED_CONCURRENCY,
        memoryMb: FUNCTION_MEMORY_MB,
        provisioned,
      };
      const created = createLocalLambda(definition, settings.HERALD_LAMBDA_RUNTIME, (events) => {
        for (const event of events) stackCapacity.add(event);
      });
      lambdas.push(created);
      return created;
    };
    for (const route of API_ROUTES) {
      const api = lambda(route.handler, API_TIMEOUT_SECONDS);
      apiHandlers.set(route.handler, (event) => api.invoke(event) as ReturnType<ApiHandler>);
    }

    // Lowered by HERALD_SMS_MAX_RECEIVES for the queue and, through the environment, its worker.
    const smsMaxReceives = settings.HERALD_SMS_MAX_RECEIVES ?? workerNamed('send-sms').maxReceiveCount;
    const queues = new Map<string, LocalQueue>();
    /** A queue feeding `worker`'s function, polled as its SQS event source would be. */
    const queueFor = (worker: (typeof WORKERS)[number] | typeof SMS_EVENTS_CONSUMER, provisioned = 0) => {
      const workerLambda = lambda(worker.handler, worker.timeoutSeconds, provisioned);
      const queue = new LocalQueue(
        {
          name: `herald-${worker.handler}`,
          batchSize: worker.batchSize,
          // The manifest's timeouts, as CDK deploys them: a failed message returns as late as in AWS;
          // the sweeper, which runs more often here, brings its records back sooner.
          visibilityTimeoutMs: worker.visibilityTimeoutSeconds * 1000,
          maxReceiveCount: worker.handler === 'send-sms' ? smsMaxReceives : worker.maxReceiveCount,
          // The event source's maximum concurrency, as CDK sets it.
          concurrency: reserved[worker.handler]?.maxConcurrency ?? LOCAL_UNRESERVED_CONCURRENCY,
        },
        (event) => workerLambda.invoke(event) as Promise<SQSBatchResponse | undefined>,
        (error) => logFunctionError(worker.handler, error),
      );
      queues.set(worker.handler, queue);
      cleanups.push(() => queue.stop());
      return queue;
    };
    const topic = new LocalTopic('herald-broadcast');
    for (const worker of WORKERS) {
      topic.subscribe(queueFor(worker, worker.provisionedConcurrency), { target: [worker.target] });
    }
    // The fallback SMS provider's event destination: a topic of its own feeding one queue, as in
    // AWS, where CDK creates the consumer only with the fallback's context (a bundle has none without).
    const smsEvents = new LocalTopic('herald-sms-events');
    if (settings.HERALD_SMS_FALLBACK_ORIGINATION_IDENTITY) {
      smsEvents.subscribe(queueFor(SMS_EVENTS_CONSUMER), {});
    }
    // Closed before the queues stop, so their invocations in flight end at once instead of running on.
    cleanups.push(async () => void (await Promise.all(lambdas.map((created) => created.close()))));
    const awsEndpoint = await startAwsEndpoint(
      [topic, approvalInbox.topic, smsEvents],
      [...queues.values()],
      { [STATUS_BUCKET]: site },
    );
    cleanups.push(() => new Promise<void>((done) => awsEndpoint.server.close(() => done())));
    await setSmsEventDestination(providerUrls.awsSms, smsEvents.arn, awsEndpoint.url);

    Object.assign(process.env, {
      AWS_REGION: 'eu-north-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
      AWS_ENDPOINT_URL_SNS: awsEndpoint.url,
      AWS_ENDPOINT_URL_SQS: awsEndpoint.url,
      AWS_ENDPOINT_URL_S3: awsEndpoint.url,
      // The metrics the functions would send CloudWatch are on stdout as EMF lines, in this namespace.
      POWERTOOLS_METRICS_NAMESPACE: 'Herald/local',
      ...Object.fromEntries(TABLES.map((table) => [table.envVar, table.name])),
      BROADCAST_TOPIC_ARN: topic.arn,
      APPROVALS_TOPIC_ARN: approvalInbox.topic.arn,
      HERALD_CONSOLE_URL: `${http.url}/console/`,
      STATUS_BUCKET,
      TWILIO_ACCOUNT_SID: LOCAL_TWILIO_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: LOCAL_TWILIO_AUTH_TOKEN,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_BASE_URL: providerUrls.twilio,
      TWILIO_STATUS_CALLBACK_URL: `${http.url}/webhooks/twilio/status`,
      X_APP_KEY: 'local-app-key',
      X_APP_SECRET: 'local-app-secret',
      X_ACCESS_TOKEN: 'local-access-token',
      X_ACCESS_SECRET: 'local-access-secret',
      X_API_BASE_URL: providerUrls.x,
      FACEBOOK_PAGE_ID: '1000000000001',
      FACEBOOK_PAGE_TOKEN: 'local-page-token',
      FACEBOOK_GRAPH_BASE_URL: providerUrls.facebook,
      HERALD_PUBLIC_API_URL: http.url,
      HERALD_SWEEP_STALL_SECONDS: process.env.HERALD_SWEEP_STALL_SECONDS ?? LOCAL_SWEEP_STALL_SECONDS,
      HERALD_SMS_MAX_RECEIVES: String(smsMaxReceives),
      ...smsFallbackEnvironment(settings, providerUrls.awsSms),
    });

    for (const consumer of STREAM_CONSUMERS) {
      const consumerLambda = lambda(consumer.handler, consumer.timeoutSeconds);
      const source = await startStreamSource({
        endpoint: dynamoDb.endpoint,
        tableName: TABLES.find((table) => table.key === consumer.table)?.name ?? consumer.table,
        handler: (event) => consumerLambda.invoke(event),
        batchSize: consumer.batchSize,
        batchingWindowMs: consumer.batchingWindowSeconds * 1000,
        onError: (error) => logFunctionError(consumer.handler, error),
      });
      cleanups.push(source.stop);
    }

    if (settings.HERALD_SEED === 'demo') {
      const { seedDemo } = await import('./seed/seed-demo.ts');
      await seedDemo(new Date(), settings.HERALD_DEMO_CUSTOMERS);
    }
    const { publishInitialStatusSite } = await import('./initial-status.ts');
    await publishInitialStatusSite();

    for (const schedule of SCHEDULES) {
      const scheduled = lambda(schedule.handler, schedule.timeoutSeconds);
      const run = (detail: { stalledBefore?: string }) =>
        scheduled
          .invoke(scheduledEvent(detail))
          .catch((error: unknown) => logFunctionError(schedule.handler, error));
      // Every queue of an earlier run died with its process: whatever it left unfinished is stalled now.
      await run({ stalledBefore: new Date().toISOString() });
      const timer = setInterval(
        () => void run({}),
        Math.min(LOCAL_SWEEP_INTERVAL_MS, schedule.everyMinutes * 60_000),
      );
      timer.unref();
      cleanups.push(async () => clearInterval(timer));
    }

    await Promise.all(lambdas.map((created) => created.provision()));
    return {
      apiUrl: http.url,
      statusUrl: `${http.url}/status`,
      sandboxes: providerUrls,
      dynamoDbEndpoint: dynamoDb.endpoint,
      users,
      queues,
      approvalNotices: approvalInbox.notices,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

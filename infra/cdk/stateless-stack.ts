import { Annotations, CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import {
  API_CORS_EXPOSED_HEADERS,
  API_CORS_HEADERS,
  API_ROUTES,
  API_THROTTLE,
  type ApiRoute,
  type HandlerName,
  SCHEDULES,
  SMS_EVENTS_CONSUMER,
  STREAM_CONSUMERS,
  WORKERS,
  webhookThrottle,
  workerConcurrency,
} from '#functions/manifest.ts';
import { API_TIMEOUT_SECONDS } from '#shared/domain/limits.ts';
import type { TableKey } from '#shared/tables.ts';
import type { ApprovalsTopic } from './constructs/approvals-topic.ts';
import type { BroadcastBus } from './constructs/broadcast-bus.ts';
import { ConsoleDeployment } from './constructs/console-deployment.ts';
import { HeraldFunction } from './constructs/herald-function.ts';
import type { HeraldTables, TableAccess } from './constructs/herald-tables.ts';
import { HeraldMonitoring, metricsNamespace } from './constructs/monitoring.ts';
import { SmsFallback } from './constructs/sms-fallback.ts';
import type { StatusSite } from './constructs/status-site.ts';
import type { HeraldConfig } from './herald-config.ts';
import type { Provider } from './stateful-stack.ts';

/** What one handler may touch. Anything not listed here is denied. */
export interface FunctionAccess {
  readonly tables?: Partial<Record<TableKey, TableAccess>>;
  readonly publish?: boolean;
  readonly secret?: Provider;
  readonly statusSite?: boolean;
  /** Publishes approval notices to the approvals topic, linking to the console. */
  readonly notifyApprovers?: boolean;
}

/**
 * Least privilege per handler, from what each handler and its use case actually call.
 * Every function in the manifest must appear here (typed by HandlerName): a new one fails the
 * type check until someone decides what it may do, and a name the manifest lacks fails it too.
 */
export const ACCESS: Readonly<Record<HandlerName, FunctionAccess>> = {
  'create-incident': { tables: { herald: 'readWrite' } },
  'list-incidents': { tables: { herald: 'read' } },
  'get-incident': { tables: { herald: 'read' } },
  // Marks the incident resolved, then hands the site's regeneration to the status worker.
  'resolve-incident': { tables: { herald: 'readWrite' }, publish: true },
  // One waiting for approval counts its audience (as the preview does) and tells the comms leads.
  'create-broadcast': {
    tables: { herald: 'readWrite', flights: 'read', bookings: 'read', customers: 'read' },
    publish: true,
    notifyApprovers: true,
  },
  'get-broadcast': { tables: { herald: 'read' } },
  'review-broadcast': { tables: { herald: 'read' } },
  'list-pending-approvals': { tables: { herald: 'read' } },
  'cancel-broadcast': { tables: { herald: 'readWrite' } },
  // The broadcast, its ledger records and the SMS recipients' numbers (shown masked).
  'list-deliveries': { tables: { herald: 'read', deliveries: 'read', customers: 'read' } },
  // The passenger's customers and bookings, the incidents and broadcasts, their SMS records.
  'lookup-passenger': { tables: { customers: 'read', bookings: 'read', herald: 'read', deliveries: 'read' } },
  // The incident, its broadcasts, templates and timeline; the ledger records; the customers (number, name).
  'export-evidence': { tables: { herald: 'read', deliveries: 'read', customers: 'read' } },
  'twilio-status-webhook': { tables: { herald: 'readWrite', deliveries: 'readWrite' }, secret: 'twilio' },
  'twilio-inbound-webhook': { tables: { customers: 'readWrite', herald: 'readWrite' }, secret: 'twilio' },
  'sweep-stalled-broadcasts': { tables: { herald: 'readWrite', deliveries: 'readWrite' }, publish: true },
  // Asks Twilio for the receipts that never came and records them on the ledger.
  'reconcile-receipts': { tables: { herald: 'readWrite', deliveries: 'readWrite' }, secret: 'twilio' },
  'preview-broadcast': { tables: { flights: 'read', bookings: 'read', customers: 'read', herald: 'read' } },
  // Template writes and reviews append to the audit log in the same table.
  'create-template': { tables: { herald: 'readWrite' } },
  'update-template': { tables: { herald: 'readWrite' } },
  'list-templates': { tables: { herald: 'read' } },
  'get-template': { tables: { herald: 'read' } },
  'submit-template': { tables: { herald: 'readWrite' }, notifyApprovers: true },
  'approve-template': { tables: { herald: 'readWrite' } },
  'reject-template': { tables: { herald: 'readWrite' } },
  'approve-broadcast': { tables: { herald: 'readWrite' }, publish: true },
  'list-audit': { tables: { herald: 'read' } },
  'get-me': {},
  'list-incident-broadcasts': { tables: { herald: 'read' } },
  'search-airports': {},
  'import-records': { tables: { flights: 'readWrite', bookings: 'readWrite', customers: 'readWrite' } },
  'plan-broadcast': {
    tables: {
      flights: 'read',
      bookings: 'read',
      customers: 'read',
      herald: 'readWrite',
      deliveries: 'readWrite',
    },
    publish: true,
  },
  // A batch whose invocation runs short of time publishes the rest as a new batch.
  'send-sms': {
    tables: { customers: 'read', herald: 'readWrite', deliveries: 'readWrite' },
    secret: 'twilio',
    publish: true,
  },
  // Public posts record their outcome on the delivery record and the broadcast counters.
  'post-to-x': { tables: { herald: 'readWrite', deliveries: 'readWrite' }, secret: 'x' },
  'post-to-facebook': { tables: { herald: 'readWrite', deliveries: 'readWrite' }, secret: 'facebook' },
  'publish-status': { tables: { herald: 'readWrite', deliveries: 'readWrite' }, statusSite: true },
  // Folds the deliveries table's stream into the broadcasts' counters (the event source grants the stream).
  'count-deliveries': { tables: { herald: 'readWrite' } },
  // The fallback SMS provider's delivery events, applied to the ledger (only with context smsFallback).
  'record-sms-events': { tables: { herald: 'read', deliveries: 'readWrite' } },
};

/** Runtime settings from context, beyond a handler's resources; `shared/config.ts` reads them. */
export type Setting =
  | 'sms'
  | 'publicApiUrl'
  | 'statusCallbackUrl'
  | 'statusSiteUrl'
  | 'deadline'
  | 'exerciseNumbers'
  | 'smsFallback';

/** Which handlers read which settings (those not listed keep `shared/config.ts` defaults). */
export const SETTINGS: Readonly<Partial<Record<HandlerName, readonly Setting[]>>> = {
  // The SMS rate paces the worker and dates the operator's estimate; the batch size shapes SMS messages.
  // An exercise's test numbers: planned, texted, and shown in the deliveries and the evidence.
  'send-sms': ['sms', 'statusCallbackUrl', 'exerciseNumbers', 'smsFallback'],
  'get-broadcast': ['sms'],
  'list-incident-broadcasts': ['sms'],
  'plan-broadcast': ['sms', 'exerciseNumbers'],
  'list-deliveries': ['exerciseNumbers'],
  // The sender pool's reply numbers and links end the SMS it shows.
  'export-evidence': ['sms', 'exerciseNumbers'],
  'sweep-stalled-broadcasts': ['sms'],
  // The preview dates the last SMS at the worker's rate; a new incident's deadline is the airline's default.
  'preview-broadcast': ['sms'],
  'create-incident': ['deadline'],
  // Twilio signs the full public URL it called; the webhooks rebuild it to check the signature.
  'twilio-status-webhook': ['publicApiUrl'],
  'twilio-inbound-webhook': ['publicApiUrl'],
  'publish-status': ['statusSiteUrl'],
};

/** The handler of the route Twilio posts delivery receipts to; TWILIO_STATUS_CALLBACK_URL points at it. */
const TWILIO_STATUS_HANDLER = 'twilio-status-webhook';

export interface HeraldStatelessStackProps extends StackProps {
  readonly tables: HeraldTables;
  readonly bus: BroadcastBus;
  readonly approvals: ApprovalsTopic;
  readonly statusSite: StatusSite;
  readonly secrets: Readonly<Record<Provider, secretsmanager.ISecret>>;
  readonly userPool: cognito.IUserPool;
  readonly userPoolClient: cognito.IUserPoolClient;
  /** The Cognito hosted UI's host name, for the console's config.json. */
  readonly authDomain: string;
  /** The built console to deploy (`console/dist`). */
  readonly consoleDist: string;
  /** The environment's settings from context (`herald-config.ts`). */
  readonly config: HeraldConfig;
}

function parseRouteKey(route: ApiRoute): { method: apigw.HttpMethod; path: string } {
  const [method, path] = route.routeKey.split(' ');
  if (!method || !path || !(method in apigw.HttpMethod)) throw new Error(`Bad route key '${route.routeKey}'`);
  return { method: apigw.HttpMethod[method as keyof typeof apigw.HttpMethod], path };
}

/**
 * The code: one Lambda per API route behind an HTTP API with a Cognito JWT authorizer, and one
 * Lambda per worker fed by its queue. Redeploying it never touches data.
 */
export class HeraldStatelessStack extends Stack {
  readonly api: apigw.HttpApi;
  readonly functions: ReadonlyMap<string, HeraldFunction>;
  /**
   * The origin Twilio calls and signs: the custom API domain when configured, else the API's
   * execute-api endpoint. Functions may reference the API's id: the API resource itself depends
   * on none of them (routes and integrations do), so this is no dependency cycle.
   */
  readonly publicApiUrl: string;
  readonly monitoring: HeraldMonitoring;
  /** The operations console's files and config.json in the console bucket. */
  readonly console: ConsoleDeployment;
  /** The fallback SMS provider's configuration set and event queue, with context `smsFallback`. */
  readonly smsFallback?: SmsFallback;

  constructor(scope: Construct, id: string, props: HeraldStatelessStackProps) {
    super(scope, id, props);
    const { config } = props;
    const functions = new Map<string, HeraldFunction>();
    this.functions = functions;
    const concurrency = workerConcurrency(config.smsConcurrency);
    this.smsFallback = config.smsFallback && new SmsFallback(this, 'SmsFallback');

    const create = (handler: HandlerName, timeout: Duration): HeraldFunction => {
      const access = ACCESS[handler];
      const reserved = concurrency[handler]?.reserved;
      const fn = new HeraldFunction(this, handler, {
        handler,
        timeout,
        ...(reserved === undefined ? {} : { reservedConcurrentExecutions: reserved }),
        logRetention: config.logRetention,
        environment: {
          ...this.environmentFor(access, props),
          ...this.settingsFor(handler, props),
          POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(config.envName),
        },
      });
      this.grant(fn, access, props);
      functions.set(handler, fn);
      return fn;
    };

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: config.logRetention });
    const authorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', props.userPool, {
      userPoolClients: [props.userPoolClient],
    });
    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'Herald operations API',
      createDefaultStage: false,
      // Secure by default: a route is public only when it says so.
      defaultAuthorizer: authorizer,
      // The console is served by CloudFront (another origin) and calls the API from the browser.
      corsPreflight: {
        allowOrigins: [props.statusSite.url],
        allowMethods: [apigw.CorsHttpMethod.GET, apigw.CorsHttpMethod.POST, apigw.CorsHttpMethod.PUT],
        allowHeaders: [...API_CORS_HEADERS],
        exposeHeaders: [...API_CORS_EXPOSED_HEADERS],
        maxAge: Duration.hours(1),
      },
    });
    const domainName = config.apiDomain
      ? new apigw.DomainName(this, 'ApiDomain', {
          domainName: config.apiDomain.domainName,
          certificate: acm.Certificate.fromCertificateArn(
            this,
            'ApiCertificate',
            config.apiDomain.certificateArn,
          ),
          securityPolicy: apigw.SecurityPolicy.TLS_1_2,
        })
      : undefined;
    this.publicApiUrl = config.apiDomain ? `https://${config.apiDomain.domainName}` : this.api.apiEndpoint;
    const stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      ...(domainName ? { domainMapping: { domainName } } : {}),
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.jsonWithStandardFields({
          caller: false,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
      },
    });

    const webhooks = webhookThrottle(config.smsPerSecond);
    (stage.node.defaultChild as apigw.CfnStage).addPropertyOverride(
      'RouteSettings',
      Object.fromEntries(
        API_ROUTES.filter((route) => route.roles === 'public').map((route) => [
          route.routeKey,
          { ThrottlingRateLimit: webhooks.rateLimit, ThrottlingBurstLimit: webhooks.burstLimit },
        ]),
      ),
    );

    for (const route of API_ROUTES) {
      const fn = create(route.handler, Duration.seconds(API_TIMEOUT_SECONDS));
      const { method, path } = parseRouteKey(route);
      const [created] = this.api.addRoutes({
        path,
        methods: [method],
        integration: new HttpLambdaIntegration(`${route.handler}-integration`, fn.function),
        ...(route.roles === 'public' ? { authorizer: new apigw.HttpNoneAuthorizer() } : {}),
      });
      if (route.roles === 'public' && created) {
        const reason = 'A public read route by design (manifest roles: public); it serves no personal data.';
        Validations.of(created).acknowledge(
          { id: 'AwsSolutions-APIG4', reason },
          { id: 'AwsSolutions-COG4', reason },
        );
      }
    }

    for (const worker of WORKERS) {
      const fn = create(worker.handler, Duration.seconds(worker.timeoutSeconds));
      const maxConcurrency = concurrency[worker.handler]?.maxConcurrency;
      // Provisioned concurrency lives on an alias: the queue then invokes the alias.
      const target =
        worker.provisionedConcurrency > 0
          ? new lambda.Alias(this, `${worker.handler}-live`, {
              aliasName: 'live',
              version: fn.function.currentVersion,
              provisionedConcurrentExecutions: worker.provisionedConcurrency,
            })
          : fn.function;
      target.addEventSource(
        new SqsEventSource(props.bus.queueFor(worker.handler).queue, {
          batchSize: worker.batchSize,
          reportBatchItemFailures: true,
          ...(maxConcurrency === undefined ? {} : { maxConcurrency }),
        }),
      );
    }

    for (const consumer of STREAM_CONSUMERS) {
      const fn = create(consumer.handler, Duration.seconds(consumer.timeoutSeconds));
      fn.function.addEventSource(
        new DynamoEventSource(props.tables.table(consumer.table), {
          startingPosition: lambda.StartingPosition.TRIM_HORIZON,
          batchSize: consumer.batchSize,
          maxBatchingWindow: Duration.seconds(consumer.batchingWindowSeconds),
          // A tumbling window's events name their shard, which the exactly-once count is keyed on.
          tumblingWindow: Duration.seconds(consumer.batchingWindowSeconds),
          bisectBatchOnError: true,
          retryAttempts: consumer.retryAttempts,
          onFailure: new SqsDlq(props.bus.failedBatchesFor(consumer.handler)),
        }),
      );
      // SqsDlq grants sending to the KMS-encrypted queue with CDK's wildcard key actions, on that one key.
      const reason = 'Sending to the one KMS-encrypted failed-batch queue: its key only, as CDK grants it.';
      Validations.of(fn.role).acknowledge(
        { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason },
        { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason },
      );
    }

    if (this.smsFallback && config.smsFallback) {
      const events = create(
        SMS_EVENTS_CONSUMER.handler,
        Duration.seconds(SMS_EVENTS_CONSUMER.timeoutSeconds),
      );
      events.function.addEventSource(
        new SqsEventSource(this.smsFallback.queue, {
          batchSize: SMS_EVENTS_CONSUMER.batchSize,
          reportBatchItemFailures: true,
        }),
      );
      // The one send the fallback needs: from its sender, with the configuration set whose events come back.
      functions.get('send-sms')?.function.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['sms-voice:SendTextMessage'],
          resources: [config.smsFallback.originationIdentityArn, this.smsFallback.configurationSet.attrArn],
        }),
      );
    }

    for (const schedule of SCHEDULES) {
      const fn = create(schedule.handler, Duration.seconds(schedule.timeoutSeconds));
      new events.Rule(this, `${schedule.handler}-schedule`, {
        schedule: events.Schedule.rate(Duration.minutes(schedule.everyMinutes)),
        targets: [new targets.LambdaFunction(fn.function, { retryAttempts: 0 })],
      });
    }

    this.monitoring = new HeraldMonitoring(this, 'Monitoring', {
      envName: config.envName,
      functions,
      bus: props.bus,
      tables: props.tables,
      api: this.api,
      ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
      ...(this.smsFallback ? { smsEventsDeadLetters: this.smsFallback.deadLetterQueue } : {}),
    });

    this.console = new ConsoleDeployment(this, 'Console', {
      site: props.statusSite,
      envName: config.envName,
      logRetention: config.logRetention,
      distDir: props.consoleDist,
      config: {
        apiUrl: this.publicApiUrl,
        auth: {
          kind: 'cognito',
          domain: props.authDomain,
          clientId: props.userPoolClient.userPoolClientId,
          redirectUri: props.statusSite.consoleUrl,
        },
        timeZone: config.timeZone,
      },
    });

    new CfnOutput(this, 'ApiUrl', { value: stage.url });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.alarmTopic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
    new CfnOutput(this, 'PublicApiUrl', {
      description: "The origin Twilio's webhooks must use (their signatures cover the full URL)",
      value: this.publicApiUrl,
    });
    if (domainName) {
      new CfnOutput(this, 'ApiDomainTarget', {
        description: 'Where the custom API domain points (CNAME or Route 53 alias)',
        value: domainName.regionalDomainName,
      });
    }
  }

  private settingsFor(handler: HandlerName, props: HeraldStatelessStackProps): Record<string, string> {
    const env: Record<string, string> = {};
    for (const setting of SETTINGS[handler] ?? []) {
      if (setting === 'sms') {
        env.HERALD_SMS_MPS = String(props.config.smsPerSecond);
        env.HERALD_SMS_BATCH_SIZE = String(props.config.smsBatchSize);
        if (props.config.smsSenders) env.HERALD_SMS_SENDERS = JSON.stringify(props.config.smsSenders);
      }
      if (setting === 'deadline')
        env.HERALD_NOTIFICATION_DEADLINE_MINUTES = String(props.config.notificationDeadlineMinutes);
      if (setting === 'exerciseNumbers') env.HERALD_EXERCISE_NUMBERS = props.config.exerciseNumbers.join(',');
      if (setting === 'publicApiUrl') env.HERALD_PUBLIC_API_URL = this.publicApiUrl;
      if (setting === 'statusCallbackUrl') {
        const route = API_ROUTES.find((candidate) => candidate.handler === TWILIO_STATUS_HANDLER);
        if (!route) throw new Error(`No route for '${TWILIO_STATUS_HANDLER}' in functions/manifest.ts`);
        env.TWILIO_STATUS_CALLBACK_URL = `${this.publicApiUrl}${parseRouteKey(route).path}`;
      }
      if (setting === 'statusSiteUrl') env.HERALD_STATUS_SITE_URL = props.statusSite.url;
      if (setting === 'smsFallback' && this.smsFallback && props.config.smsFallback) {
        env.HERALD_SMS_FALLBACK_ORIGINATION_IDENTITY = props.config.smsFallback.originationIdentityArn;
        env.HERALD_SMS_FALLBACK_CONFIGURATION_SET = this.smsFallback.configurationSetName;
        env.HERALD_SMS_FALLBACK_PREFIXES = props.config.smsFallback.prefixes.join(',');
      }
    }
    return env;
  }

  private environmentFor(access: FunctionAccess, props: HeraldStatelessStackProps): Record<string, string> {
    const env: Record<string, string> = {};
    // shared/config.ts validates all table variables together, so a handler using any table gets all names.
    if (access.tables) Object.assign(env, props.tables.environment());
    if (access.publish) env.BROADCAST_TOPIC_ARN = props.bus.topic.topicArn;
    if (access.statusSite) env.STATUS_BUCKET = props.statusSite.bucket.bucketName;
    if (access.notifyApprovers) {
      env.APPROVALS_TOPIC_ARN = props.approvals.topic.topicArn;
      env.HERALD_CONSOLE_URL = props.statusSite.consoleUrl;
    }
    if (access.secret === 'twilio') {
      env.TWILIO_SECRET_ARN = props.secrets.twilio.secretArn;
      this.fromContext(env, 'TWILIO_FROM', props.config.twilioFrom, 'twilioFrom');
    }
    if (access.secret === 'x') env.X_SECRET_ARN = props.secrets.x.secretArn;
    if (access.secret === 'facebook') {
      env.FACEBOOK_SECRET_ARN = props.secrets.facebook.secretArn;
      this.fromContext(env, 'FACEBOOK_PAGE_ID', props.config.facebookPageId, 'facebookPageId');
    }
    return env;
  }

  private fromContext(
    env: Record<string, string>,
    name: string,
    value: string | undefined,
    key: string,
  ): void {
    if (value) {
      env[name] = value;
    } else {
      Annotations.of(this).addWarningV2(
        `herald:missing-${key}`,
        `Context '${key}' is not set for this environment: ${name} stays unset and the handler fails its config check until it is.`,
      );
    }
  }

  private grant(fn: HeraldFunction, access: FunctionAccess, props: HeraldStatelessStackProps): void {
    for (const [table, tableAccess] of Object.entries(access.tables ?? {}) as [TableKey, TableAccess][]) {
      props.tables.grant(fn, table, tableAccess);
    }
    if (access.publish) props.bus.grantPublish(fn);
    if (access.secret) props.secrets[access.secret].grantRead(fn);
    if (access.statusSite) props.statusSite.grantPublish(fn.role);
    if (access.notifyApprovers) props.approvals.grantPublish(fn);
  }
}

import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SCHEDULES, SMS_EVENTS_CONSUMER, STREAM_CONSUMERS, WORKERS } from '#functions/manifest.ts';
import { METRIC, METRIC_SERVICE, type MetricName } from '#shared/metrics.ts';
import { TABLES } from '#shared/tables.ts';
import type { BroadcastBus } from './broadcast-bus.ts';
import type { HeraldFunction } from './herald-function.ts';
import type { HeraldTables } from './herald-tables.ts';

const SWEEPER = 'sweep-stalled-broadcasts';

/** The namespace of Herald's own (EMF) metrics in one environment: the functions' POWERTOOLS_METRICS_NAMESPACE. */
export function metricsNamespace(envName: string): string {
  return `Herald/${envName}`;
}

/** Of the SMS a window settled, the share that failed (percent): judged only over this many. */
const SMS_FAILURE_MIN_SETTLED = 20;
const SMS_FAILURE_PERCENT = 20;

export interface HeraldMonitoringProps {
  readonly envName: string;
  readonly functions: ReadonlyMap<string, HeraldFunction>;
  readonly bus: BroadcastBus;
  readonly tables: HeraldTables;
  readonly api: apigw.HttpApi;
  /** Subscribed to the alarm topic by email (the recipient confirms once). */
  readonly alarmEmail?: string;
  /** With the fallback SMS provider: the dead-letter queue of its delivery events (record-sms-events). */
  readonly smsEventsDeadLetters?: sqs.IQueue;
}

/**
 * What an on-call engineer watches while a broadcast is in flight.
 * Alarms (to an encrypted SNS topic, optionally emailed): a message in any dead-letter or
 * failed-batch queue, any worker, stream consumer or sweeper invocation error, any API 5xx, and on Herald's own metrics (EMF lines
 * the handlers write, shared/metrics.ts; never on log text): the sweeper finding stalled
 * broadcasts, a suspected duplicate SMS, a high share of SMS failing.
 * A dashboard: queue depths and ages per channel, retries and dead-letter moves, SMS sent and
 * failed, planner duration, worker invocations/errors/duration, API traffic/errors/latency,
 * DynamoDB throttles and consumed capacity.
 */
export class HeraldMonitoring extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  /** Herald's own metrics live here, one namespace per environment. */
  readonly namespace: string;
  private readonly action: actions.SnsAction;
  private readonly envName: string;

  constructor(scope: Construct, id: string, props: HeraldMonitoringProps) {
    super(scope, id);
    this.envName = props.envName;
    this.namespace = metricsNamespace(props.envName);
    const cloudWatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com');

    // CloudWatch cannot publish to a topic under the AWS-managed SNS key, so the topic gets its own.
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: `Herald ${props.envName} alarm topic`,
      enableKeyRotation: true,
      // Holds no data at rest beyond notifications in transit; deleted (after 7 days) with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `Herald ${props.envName} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
          },
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        },
      }),
    );
    if (props.alarmEmail)
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.action = new actions.SnsAction(this.alarmTopic);

    const fn = (handler: string) => {
      const found = props.functions.get(handler);
      if (!found) throw new Error(`No function '${handler}' to monitor`);
      return found.function;
    };

    // 1. Dead-letter queues: a message there was tried maxReceiveCount times and gave up.
    for (const worker of WORKERS) {
      this.deadLetterAlarm(
        `${worker.handler}-dlq`,
        props.bus.queueFor(worker.handler).deadLetterQueue,
        `Messages for ${worker.handler} were dead-lettered after ${worker.maxReceiveCount} receives. Read them, fix the cause, then redrive them to the source queue (the delivery ledger makes redelivery safe).`,
      );
    }
    for (const consumer of STREAM_CONSUMERS) {
      this.deadLetterAlarm(
        `${consumer.handler}-failed-batches`,
        props.bus.failedBatchesFor(consumer.handler),
        `${consumer.handler} gave up on a batch of the ${consumer.table} table's stream after ${consumer.retryAttempts} tries; the queue's message names its shard and sequence numbers. The ledger is right, but the broadcasts' counts miss those records, so a broadcast may not complete. Read the handler's log for the error and fix the cause; the stream keeps the records 24 hours.`,
      );
    }
    if (props.smsEventsDeadLetters) {
      this.deadLetterAlarm(
        `${SMS_EVENTS_CONSUMER.handler}-dlq`,
        props.smsEventsDeadLetters,
        `Delivery events of the fallback SMS provider were dead-lettered after ${SMS_EVENTS_CONSUMER.maxReceiveCount} receives: their records stay sent, not delivered or failed. Read them, fix the cause, then redrive them to the events queue (applying an event twice changes nothing).`,
      );
    }

    // 2. Worker, stream consumer and sweeper errors. Workers report failed messages per item, so
    //    an invocation error means a crash, a timeout or a failed start (a config error): never expected.
    const watchedHandlers = [
      ...WORKERS.map((w) => w.handler),
      ...STREAM_CONSUMERS.map((c) => c.handler),
      ...SCHEDULES.map((s) => s.handler),
      ...(props.smsEventsDeadLetters ? [SMS_EVENTS_CONSUMER.handler] : []),
    ];
    for (const handler of watchedHandlers) {
      this.alarm(`${handler}-errors`, {
        alarmDescription: `${handler} invocations failed (crash, timeout or configuration error): see its log group.`,
        metric: fn(handler).metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      });
    }

    // 3. API 5xx: handlers map every expected error below 500, so any 5xx is a bug or an outage.
    this.alarm('api-5xx', {
      alarmDescription:
        'The API answered 5xx: a handler crashed, timed out or was throttled. See the API access log and the handlers’ logs.',
      metric: props.api.metricServerError({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    // 4. Herald's own metrics. The sweeper found broadcasts that stopped moving: work was lost or a worker is stuck.
    const fiveMinutes = Duration.minutes(5);
    this.alarm('stalled-broadcasts', {
      alarmDescription:
        'The sweeper re-queued broadcasts that had not moved for HERALD_SWEEP_STALL_SECONDS: messages were lost or a worker is stuck. Check the queues, DLQs and worker errors.',
      metric: this.emf(METRIC.stalledBroadcasts, { period: fiveMinutes }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    // 5. A passenger may have been sent a message twice: always worth a look.
    this.alarm('duplicates-suspected', {
      alarmDescription:
        "A send was found to have reached a passenger twice (a send outlived its lease, or the provider held two messages of one record). Read the broadcast's duplicatesSuspected counts and the send-sms log for the broadcast id.",
      metric: this.emf(METRIC.duplicatesSuspected, { period: fiveMinutes }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    // 6. Many SMS failing for good: the provider refuses Herald (credentials, sender, balance), not a few numbers.
    const smsFailureShare = new cloudwatch.MathExpression({
      expression: `IF(sent + failed >= ${SMS_FAILURE_MIN_SETTLED}, 100 * failed / (sent + failed), 0)`,
      usingMetrics: {
        sent: this.emf(METRIC.smsSent, { period: fiveMinutes }),
        failed: this.emf(METRIC.smsFailed, { period: fiveMinutes }),
      },
      label: 'SMS failed (%)',
      period: fiveMinutes,
    });
    this.alarm('sms-failures', {
      alarmDescription: `At least ${SMS_FAILURE_PERCENT}% of the SMS settled in five minutes failed for good (of ${SMS_FAILURE_MIN_SETTLED} or more): the provider is refusing Herald's sends. Read lastError in the failed delivery records (GET /broadcasts/{id}/deliveries?status=failed) and the provider's console.`,
      metric: smsFailureShare,
      threshold: SMS_FAILURE_PERCENT,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    this.dashboard = this.buildDashboard(props, fn);
  }

  /** A Herald metric (EMF) as the handlers emit it: every one carries the `service` dimension. */
  private emf(
    metricName: MetricName,
    options: { period?: Duration; statistic?: string; label?: string; worker?: string } = {},
  ): cloudwatch.Metric {
    const { worker, ...rest } = options;
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName,
      dimensionsMap: { service: METRIC_SERVICE, ...(worker ? { worker } : {}) },
      statistic: cloudwatch.Stats.SUM,
      ...rest,
    });
  }

  /** A message in a dead-letter (or failed-batch) queue: something was given up on. */
  private deadLetterAlarm(what: string, queue: sqs.IQueue, alarmDescription: string): void {
    this.alarm(what, {
      alarmDescription,
      metric: queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
  }

  /** An alarm named `herald-<env>-<id>`, notifying the alarm topic when it fires and when it clears. */
  private alarm(
    id: string,
    options: Omit<cloudwatch.CreateAlarmOptions, 'evaluationPeriods' | 'alarmName'> & {
      metric: cloudwatch.Metric | cloudwatch.MathExpression;
    },
  ): void {
    const { metric, ...rest } = options;
    const alarm = metric.createAlarm(this, id, {
      alarmName: `herald-${this.envName}-${id}`,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...rest,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
  }

  private buildDashboard(
    props: HeraldMonitoringProps,
    fn: (handler: string) => HeraldFunction['function'],
  ): cloudwatch.Dashboard {
    const minute = Duration.minutes(1);
    const perQueue = (metric: (worker: (typeof WORKERS)[number]) => cloudwatch.IMetric) =>
      WORKERS.map(metric);
    const graph = (title: string, left: cloudwatch.IMetric[], width = 8, right: cloudwatch.IMetric[] = []) =>
      new cloudwatch.GraphWidget({ title, left, right, width, height: 6, period: minute });

    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `herald-${props.envName}-broadcast`,
      defaultInterval: Duration.hours(3),
    });
    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: [
          `# Herald ${props.envName}: a broadcast in flight`,
          'Work flows planner → sms / x / facebook / status queues → workers → providers. A growing SMS queue at a steady send rate is pacing, not trouble; a growing *oldest message age* with no invocations, a DLQ above zero or stalled broadcasts is.',
        ].join('\n\n'),
        width: 24,
        height: 3,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }),
    );

    const queue = (worker: (typeof WORKERS)[number]) => props.bus.queueFor(worker.handler);
    dashboard.addWidgets(
      graph(
        'Queue depth (messages waiting)',
        perQueue((w) =>
          queue(w).queue.metricApproximateNumberOfMessagesVisible({
            label: w.target,
            statistic: cloudwatch.Stats.MAXIMUM,
          }),
        ),
      ),
      graph(
        'Messages in flight (being worked on)',
        perQueue((w) =>
          queue(w).queue.metricApproximateNumberOfMessagesNotVisible({
            label: w.target,
            statistic: cloudwatch.Stats.MAXIMUM,
          }),
        ),
      ),
      graph(
        'Oldest message age (s)',
        perQueue((w) =>
          queue(w).queue.metricApproximateAgeOfOldestMessage({
            label: w.target,
            statistic: cloudwatch.Stats.MAXIMUM,
          }),
        ),
      ),
    );
    dashboard.addWidgets(
      graph(
        'Dead-letter queues (messages)',
        perQueue((w) =>
          queue(w).deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            label: `${w.target} DLQ`,
            statistic: cloudwatch.Stats.MAXIMUM,
          }),
        ),
      ),
      graph(
        'Messages handed back for retry',
        perQueue((w) =>
          this.emf(METRIC.messagesRetried, { worker: w.handler, label: `${w.target} retried` }),
        ),
        8,
        perQueue((w) =>
          this.emf(METRIC.messagesDeadLettered, { worker: w.handler, label: `${w.target} dead-lettered` }),
        ),
      ),
      graph(
        'Stalled broadcasts found by the sweeper, SMS handed on at a last receive',
        [
          this.emf(METRIC.stalledBroadcasts, { label: 'stalled broadcasts' }),
          this.emf(METRIC.smsHandedOn, { label: 'SMS handed on' }),
        ],
        8,
        [fn(SWEEPER).metricErrors({ label: 'sweeper errors', statistic: cloudwatch.Stats.SUM })],
      ),
    );
    dashboard.addWidgets(
      graph(
        'SMS sent and failed',
        [
          this.emf(METRIC.smsSent, { label: 'sent' }),
          this.emf(METRIC.smsFailed, { label: 'failed' }),
          this.emf(METRIC.duplicatesSuspected, { label: 'duplicates suspected' }),
          // Receipts whose callback never came, recovered by reconcile-receipts: a rise is callbacks lost.
          this.emf(METRIC.receiptsReconciled, { label: 'receipts recovered from Twilio' }),
        ],
        12,
      ),
      graph(
        'Planner time per invocation (ms)',
        [
          this.emf(METRIC.plannerDuration, { label: 'p50', statistic: cloudwatch.Stats.p(50) }),
          this.emf(METRIC.plannerDuration, { label: 'p95', statistic: cloudwatch.Stats.p(95) }),
        ],
        12,
      ),
    );

    const workers = WORKERS.map((w) => ({ target: w.target, fn: fn(w.handler) }));
    const sms = fn('send-sms');
    dashboard.addWidgets(
      graph(
        'Worker invocations',
        workers.map((w) => w.fn.metricInvocations({ label: w.target, statistic: cloudwatch.Stats.SUM })),
        6,
      ),
      graph(
        'Worker errors and throttles',
        workers.map((w) =>
          w.fn.metricErrors({ label: `${w.target} errors`, statistic: cloudwatch.Stats.SUM }),
        ),
        6,
        workers.map((w) =>
          w.fn.metricThrottles({ label: `${w.target} throttles`, statistic: cloudwatch.Stats.SUM }),
        ),
      ),
      graph(
        'Worker duration p95 (ms)',
        workers.map((w) => w.fn.metricDuration({ label: w.target, statistic: cloudwatch.Stats.p(95) })),
        6,
      ),
      graph(
        'SMS worker concurrency',
        [
          sms.metric('ConcurrentExecutions', {
            label: 'concurrent executions',
            statistic: cloudwatch.Stats.MAXIMUM,
          }),
        ],
        6,
      ),
    );

    dashboard.addWidgets(
      graph(
        'API requests and errors',
        [props.api.metricCount({ label: 'requests', statistic: cloudwatch.Stats.SUM })],
        12,
        [
          props.api.metricClientError({ label: '4xx', statistic: cloudwatch.Stats.SUM }),
          props.api.metricServerError({ label: '5xx', statistic: cloudwatch.Stats.SUM }),
        ],
      ),
      graph(
        'API latency (ms)',
        [
          props.api.metricLatency({ label: 'p50', statistic: cloudwatch.Stats.p(50) }),
          props.api.metricLatency({ label: 'p99', statistic: cloudwatch.Stats.p(99) }),
          props.api.metricIntegrationLatency({ label: 'integration p99', statistic: cloudwatch.Stats.p(99) }),
        ],
        12,
      ),
    );

    const throttles: cloudwatch.IMetric[] = [];
    const consumed: cloudwatch.IMetric[] = [];
    for (const definition of TABLES) {
      const table = props.tables.table(definition.key);
      for (const metricName of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
        throttles.push(
          table.metric(metricName, {
            label: `${definition.key} ${metricName}`,
            statistic: cloudwatch.Stats.SUM,
          }),
        );
      }
      // A throttled index write throttles the table write that feeds it.
      for (const index of definition.indexes) {
        throttles.push(
          new cloudwatch.Metric({
            namespace: 'AWS/DynamoDB',
            metricName: 'WriteThrottleEvents',
            dimensionsMap: { TableName: table.tableName, GlobalSecondaryIndexName: index.indexName },
            label: `${definition.key}/${index.indexName} WriteThrottleEvents`,
            statistic: cloudwatch.Stats.SUM,
          }),
        );
      }
      consumed.push(
        table.metricConsumedWriteCapacityUnits({
          label: `${definition.key} WCU`,
          statistic: cloudwatch.Stats.SUM,
        }),
        table.metricConsumedReadCapacityUnits({
          label: `${definition.key} RCU`,
          statistic: cloudwatch.Stats.SUM,
        }),
      );
    }
    dashboard.addWidgets(
      graph('DynamoDB throttled events', throttles, 12),
      graph('DynamoDB consumed capacity (units per minute)', consumed, 12),
    );
    return dashboard;
  }
}

import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { SCHEDULES, WORKERS } from '#functions/manifest.ts';
import { TABLES } from '#infra/tables.ts';
import type { BroadcastBus } from './broadcast-bus.ts';
import type { HeraldFunction } from './herald-function.ts';
import type { HeraldTables } from './herald-tables.ts';

/** The log line `shared/messaging/sqs-worker.ts` writes for each message it hands back to the queue. */
const FAILED_MESSAGE_LOG = 'Message failed*';
/** The log line `shared/use-cases/sweep-stalled-broadcasts.ts` writes when it found stalled broadcasts. */
const SWEPT_LOG = 'Swept stalled broadcasts';
const SWEEPER = 'sweep-stalled-broadcasts';

export interface HeraldMonitoringProps {
  readonly envName: string;
  readonly functions: ReadonlyMap<string, HeraldFunction>;
  readonly bus: BroadcastBus;
  readonly tables: HeraldTables;
  readonly api: apigw.HttpApi;
  /** Subscribed to the alarm topic by email (the recipient confirms once). */
  readonly alarmEmail?: string;
}

/**
 * What an on-call engineer watches while a broadcast is in flight.
 * Alarms (to an encrypted SNS topic, optionally emailed): a message in any dead-letter queue,
 * any worker or sweeper invocation error, any API 5xx, the sweeper finding stalled broadcasts.
 * A dashboard: queue depths and ages per channel, worker invocations/errors/duration, API
 * traffic/errors/latency, DynamoDB throttles and consumed capacity.
 */
export class HeraldMonitoring extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  /** Custom metrics from log lines live here, one namespace per environment. */
  readonly namespace: string;
  private readonly action: actions.SnsAction;

  constructor(scope: Construct, id: string, props: HeraldMonitoringProps) {
    super(scope, id);
    this.namespace = `Herald/${props.envName}`;
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
    const name = (what: string) => `herald-${props.envName}-${what}`;

    // 1. Dead-letter queues: a message there was tried maxReceiveCount times and gave up.
    for (const worker of WORKERS) {
      const { deadLetterQueue } = props.bus.queueFor(worker.handler);
      this.alarm(`${worker.handler}-dlq`, {
        alarmName: name(`${worker.handler}-dlq`),
        alarmDescription: `Messages for ${worker.handler} were dead-lettered after ${worker.maxReceiveCount} receives. Read them, fix the cause, then redrive them to the source queue (the delivery ledger makes redelivery safe).`,
        metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      });
    }

    // 2. Worker and sweeper errors. Workers report failed messages per item, so an invocation
    //    error means a crash, a timeout or a failed start (a config error): never expected.
    for (const handler of [...WORKERS.map((w) => w.handler), ...SCHEDULES.map((s) => s.handler)]) {
      this.alarm(`${handler}-errors`, {
        alarmName: name(`${handler}-errors`),
        alarmDescription: `${handler} invocations failed (crash, timeout or configuration error): see its log group.`,
        metric: fn(handler).metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      });
    }

    // 3. API 5xx: handlers map every expected error below 500, so any 5xx is a bug or an outage.
    this.alarm('api-5xx', {
      alarmName: name('api-5xx'),
      alarmDescription:
        'The API answered 5xx: a handler crashed, timed out or was throttled. See the API access log and the handlers’ logs.',
      metric: props.api.metricServerError({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    // 4. The sweeper found broadcasts that stopped moving: work was lost or a worker is stuck.
    const sweeperLogs = props.functions.get(SWEEPER)?.logGroup;
    if (!sweeperLogs) throw new Error(`No function '${SWEEPER}' to monitor`);
    const stalled = new logs.MetricFilter(this, 'StalledBroadcastsFilter', {
      logGroup: sweeperLogs,
      filterPattern: logs.FilterPattern.stringValue('$.message', '=', SWEPT_LOG),
      metricNamespace: this.namespace,
      metricName: 'StalledBroadcasts',
      metricValue: '$.stalled',
      unit: cloudwatch.Unit.COUNT,
    }).metric({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM });
    this.alarm('stalled-broadcasts', {
      alarmName: name('stalled-broadcasts'),
      alarmDescription:
        'The sweeper re-queued broadcasts that had not moved for HERALD_SWEEP_STALL_SECONDS: messages were lost or a worker is stuck. Check the queues, DLQs and worker errors.',
      metric: stalled,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    // Failed messages (handed back to their queue) per worker: retries in progress, for the dashboard.
    const failedMessages = WORKERS.map((worker) => {
      const workerLogs = props.functions.get(worker.handler)?.logGroup;
      if (!workerLogs) throw new Error(`No function '${worker.handler}' to monitor`);
      return new logs.MetricFilter(this, `${worker.handler}-failed-messages`, {
        logGroup: workerLogs,
        filterPattern: logs.FilterPattern.stringValue('$.message', '=', FAILED_MESSAGE_LOG),
        metricNamespace: this.namespace,
        metricName: `FailedMessages-${worker.handler}`,
        metricValue: '1',
        unit: cloudwatch.Unit.COUNT,
      }).metric({ statistic: cloudwatch.Stats.SUM, label: `${worker.target} failed` });
    });

    this.dashboard = this.buildDashboard(props, fn, stalled, failedMessages);
  }

  private alarm(
    id: string,
    options: Omit<cloudwatch.CreateAlarmOptions, 'evaluationPeriods'> & { metric: cloudwatch.Metric },
  ): void {
    const { metric, ...rest } = options;
    const alarm = metric.createAlarm(this, id, {
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
    stalled: cloudwatch.Metric,
    failedMessages: cloudwatch.IMetric[],
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
      graph('Messages handed back for retry', failedMessages),
      graph('Stalled broadcasts found by the sweeper', [stalled], 8, [
        fn(SWEEPER).metricErrors({ label: 'sweeper errors', statistic: cloudwatch.Stats.SUM }),
      ]),
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

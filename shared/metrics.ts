/**
 * Herald's CloudWatch metrics, written as Embedded Metric Format lines by Powertools Metrics and
 * published at the end of each invocation (shared/lambda-defaults.ts). Alarms and the dashboard
 * (infra/cdk/constructs/monitoring.ts) name these metrics from METRIC, so rewording a log line
 * can never silence an alarm.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger } from './logger.ts';

/** Every metric Herald emits, in the namespace POWERTOOLS_METRICS_NAMESPACE (`Herald/<env>`). */
export const METRIC = {
  /** SMS the provider accepted (ledger records that became `sent`). */
  smsSent: 'SmsSent',
  /** SMS that failed for good: refused, given up after retries, or reported undelivered. */
  smsFailed: 'SmsFailed',
  /**
   * SMS records an SMS batch could not settle by its last receive and handed on in a new batch
   * (uncertain, or short of their own claims): rising for long, a provider or the ledger keeps failing.
   */
  smsHandedOn: 'SmsHandedOn',
  /** Sends found to have reached a passenger twice (any channel). */
  duplicatesSuspected: 'DuplicatesSuspected',
  /** Queue messages a worker handed back for another receive (dimension `worker`). */
  messagesRetried: 'MessagesRetried',
  /** Queue messages that failed their last receive: the queue moves them to its DLQ (dimension `worker`). */
  messagesDeadLettered: 'MessagesDeadLettered',
  /** Time one planner invocation spent planning a broadcast. */
  plannerDuration: 'PlannerDuration',
  /** Broadcasts the sweeper found not moving and put back on the queues. */
  stalledBroadcasts: 'StalledBroadcasts',
  /** Delivery receipts recovered from Twilio's Message fetch after their status callback never came. */
  receiptsReconciled: 'ReceiptsReconciled',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** Every metric carries this dimension (Powertools' `service`), and the alarms select it. */
export const METRIC_SERVICE = 'herald';

export const metrics = new Metrics({
  serviceName: METRIC_SERVICE,
  // Powertools warns at every flush with nothing in it; an API call that counted nothing is normal.
  logger: { ...console, warn: (message: string) => logger.debug(message) },
});

/** Adds `count` occurrences of `name` to this invocation's metrics; zero adds nothing. */
export function count(name: MetricName, value: number): void {
  if (value > 0) metrics.addMetric(name, MetricUnit.Count, value);
}

/** Adds one occurrence of `name` for the queue worker `worker`, in a line of its own (its own dimension). */
export function countForWorker(name: MetricName, worker: string): void {
  const single = metrics.singleMetric();
  single.addDimension('worker', worker);
  single.addMetric(name, MetricUnit.Count, 1);
}

/** Records how long `name` took, in milliseconds. */
export function duration(name: MetricName, milliseconds: number): void {
  metrics.addMetric(name, MetricUnit.Milliseconds, milliseconds);
}

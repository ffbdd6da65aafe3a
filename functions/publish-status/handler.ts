import { workerNamed } from '#functions/manifest.ts';
import { DynamoAuditStore } from '#shared/adapters/dynamodb/audit-store.ts';
import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import { DynamoIncidentStore, DynamoTimelineStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { DynamoTemplateStore } from '#shared/adapters/dynamodb/template-store.ts';
import { S3StaticSite } from '#shared/adapters/s3-static-site.ts';
import { deliveryConfig, statusSiteConfig } from '#shared/config.ts';
import { sqsWorker } from '#shared/messaging/sqs-worker.ts';
import { publishIncidentChange, publishStatus } from '#shared/use-cases/publish-status.ts';

const deps = {
  broadcasts: new DynamoBroadcastStore(),
  incidents: new DynamoIncidentStore(),
  templates: new DynamoTemplateStore(),
  deliveries: new DynamoDeliveryStore(),
  timeline: new DynamoTimelineStore(),
  site: new S3StaticSite(),
  siteUrl: statusSiteConfig().HERALD_STATUS_SITE_URL,
  providerTimeoutMs: deliveryConfig().providerTimeoutMs,
  audit: new DynamoAuditStore(),
};

/**
 * Status queue: a broadcast's entry is appended to its incident's timeline, or an incident
 * changed by hand; either way the static status files are rewritten.
 */
export const handler = sqsWorker(workerNamed('publish-status'), (message, invocation) =>
  'broadcastId' in message
    ? publishStatus(message.broadcastId, deps, invocation)
    : publishIncidentChange(message.incidentId, deps),
);

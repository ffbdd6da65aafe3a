import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import { DynamoIncidentStore, DynamoTimelineStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { DynamoTemplateStore } from '#shared/adapters/dynamodb/template-store.ts';
import { S3StaticSite } from '#shared/adapters/s3-static-site.ts';
import { PublicPostMessage } from '#shared/domain/bus-messages.ts';
import { sqsWorker } from '#shared/messaging/sqs-worker.ts';
import { publishStatus } from '#shared/use-cases/publish-status.ts';

const deps = {
  broadcasts: new DynamoBroadcastStore(),
  incidents: new DynamoIncidentStore(),
  templates: new DynamoTemplateStore(),
  deliveries: new DynamoDeliveryStore(),
  timeline: new DynamoTimelineStore(),
  site: new S3StaticSite(),
};

/** Status queue: appends the update to the incident's timeline and rewrites the static status files. */
export const handler = sqsWorker('publish-status', PublicPostMessage, ({ broadcastId }) =>
  publishStatus(broadcastId, deps),
);

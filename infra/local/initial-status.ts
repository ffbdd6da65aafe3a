import { DynamoIncidentStore, DynamoTimelineStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { S3StaticSite } from '#shared/adapters/s3-static-site.ts';
import { regenerateStatusSite } from '#shared/use-cases/publish-status.ts';

/** Writes the status files from what is stored, so the site answers before the first broadcast. */
export function publishInitialStatusSite(): Promise<void> {
  return regenerateStatusSite({
    incidents: new DynamoIncidentStore(),
    timeline: new DynamoTimelineStore(),
    site: new S3StaticSite(),
  });
}

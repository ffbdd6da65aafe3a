import { PutObjectCommand } from '@aws-sdk/client-s3';
import { s3 } from '#shared/adapters/aws-clients.ts';
import { statusSiteConfig } from '#shared/config.ts';
import type { StaticSite } from '#shared/ports/stores.ts';

/** The status site's files in S3, served by CloudFront; short cache so updates show within a minute. */
export class S3StaticSite implements StaticSite {
  private readonly bucket = statusSiteConfig().STATUS_BUCKET;

  async put(key: string, body: string, contentType: string): Promise<void> {
    await s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        CacheControl: 'public, max-age=30',
      }),
    );
  }
}

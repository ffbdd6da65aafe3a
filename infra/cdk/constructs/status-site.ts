import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { NOT_FOUND_KEY, STATUS_REDIRECTS } from '#shared/status-site/site-paths.ts';
import type { CustomDomain } from '../herald-config.ts';

export interface StatusSiteProps {
  /** The operator's own name for the site (certificate in us-east-1); default: the CloudFront domain. */
  readonly domain?: CustomDomain;
  /** The console bucket's name (`consoleBucketName`): fixed, so the deploying stack can name it too. */
  readonly consoleBucketName?: string;
}

/** The console bucket's name: the stateless stack's deployment refers to it by name, no export needed. */
export function consoleBucketName(envName: string): string {
  return `herald-${envName.toLowerCase()}-console-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

/**
 * A CloudFront viewer-request function (cloudfront-js-2.0) answering each path of `redirects`
 * with a 301 to its page, and passing every other request on: the status site's other spellings
 * of its pages (`STATUS_REDIRECTS`), redirected as the local front door does.
 */
export function redirectFunctionCode(redirects: Readonly<Record<string, string>>): string {
  return `var REDIRECTS = ${JSON.stringify(redirects)};
function handler(event) {
  var target = Object.prototype.hasOwnProperty.call(REDIRECTS, event.request.uri) ? REDIRECTS[event.request.uri] : undefined;
  if (!target) return event.request;
  return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: target } } };
}`;
}

/**
 * The public status site and feeds: static files in a private S3 bucket, served only by
 * CloudFront through Origin Access Control, so a crisis traffic spike never reaches a Lambda.
 * Short TTLs keep updates visible within a minute while CloudFront absorbs the load.
 */
export class StatusSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /**
   * The operations console's files, under the `console/` prefix: a bucket of their own, so the
   * status publisher (which may write the site) can never change the code operators run.
   */
  readonly consoleBucket: s3.Bucket;
  /** Where the console is served (`<url>/console/`): its OAuth callback and sign-out URL. */
  readonly consoleUrl: string;
  /** The site's public origin, without a trailing slash: what feeds and CAP alerts link to. */
  readonly url: string;
  /**
   * Put access to the site's objects. It lives here, beside the bucket, so the object wildcard
   * it needs is acknowledged where its reason is evident.
   */
  readonly publishPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: StatusSiteProps = {}) {
    super(scope, id);

    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      // CloudFront standard logs are delivered with ACLs.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself; logging it into itself would loop.',
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'status-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.consoleBucket = new s3.Bucket(this, 'ConsoleBucket', {
      ...(props.consoleBucketName ? { bucketName: props.consoleBucketName } : {}),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'console-bucket/',
      // Only build output lives here, redeployed from console/dist with every deploy.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const cachePolicy = new cloudfront.CachePolicy(this, 'CachePolicy', {
      comment: 'Herald status: fresh within a minute, cached through a spike',
      defaultTtl: Duration.seconds(30),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.minutes(5),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Herald status site and feeds',
      // The site's root is the English page, as locally.
      defaultRootObject: 'status',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
        cachePolicy,
        // The JSON, Atom/RSS and CAP feeds are meant to be read by other sites' scripts.
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.CORS_ALLOW_ALL_ORIGINS_AND_SECURITY_HEADERS,
        compress: true,
        functionAssociations: [
          {
            eventType: cloudfront.FunctionEventType.VIEWER_REQUEST,
            function: new cloudfront.Function(this, 'StatusRedirects', {
              comment: 'Herald status: /status/, /status/en and the like redirect to their page',
              runtime: cloudfront.FunctionRuntime.JS_2_0,
              code: cloudfront.FunctionCode.fromInline(redirectFunctionCode(STATUS_REDIRECTS)),
            }),
          },
        ],
      },
      // A missing object (S3 answers 403 through Origin Access Control, having no ListBucket
      // grant to say 404) is the site's own "not found" page, with a 404.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 404,
        responsePagePath: `/${NOT_FOUND_KEY}`,
        ttl: Duration.seconds(30),
      })),
      additionalBehaviors: {
        // The operations console: a static bundle that talks to the API with Cognito tokens.
        '/console/*': {
          origin: origins.S3BucketOrigin.withOriginAccessControl(this.consoleBucket),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy,
          responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
          compress: true,
          functionAssociations: [
            {
              eventType: cloudfront.FunctionEventType.VIEWER_REQUEST,
              function: new cloudfront.Function(this, 'ConsoleIndex', {
                comment: 'Herald console: /console/ serves /console/index.html',
                code: cloudfront.FunctionCode.fromInline(
                  "function handler(event) { var r = event.request; if (r.uri.endsWith('/')) r.uri += 'index.html'; return r; }",
                ),
              }),
            },
          ],
        },
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      ...(props.domain
        ? {
            domainNames: [props.domain.domainName],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    this.url = `https://${props.domain?.domainName ?? this.distribution.distributionDomainName}`;
    this.consoleUrl = `${this.url}/console/`;
    if (!props.domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'No custom domain configured (context statusDomainName): the default *.cloudfront.net certificate decides the TLS floor. With a custom domain the distribution requires TLS 1.2 (2021 policy).',
      });
    }
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'Travellers read the status page from wherever they are stranded; no geography may be excluded.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'Static, cached, public content with no origin compute; a CloudFront WAF web ACL must live in us-east-1 and is added with the production account setup.',
      },
    );

    this.publishPolicy = new iam.ManagedPolicy(this, 'PublishPolicy', {
      description: 'Write the Herald status site and feeds',
      statements: [
        new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects('*')] }),
      ],
    });
    const bucketLogicalId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    Validations.of(this.publishPolicy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/*]`,
      reason:
        'The publisher writes pages and feeds whose keys depend on incidents and languages; only PutObject is allowed.',
    });
  }

  /** Lets a role write the site's objects. */
  grantPublish(role: iam.IRole): void {
    role.addManagedPolicy(this.publishPolicy);
  }
}

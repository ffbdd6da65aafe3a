import path from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FUNCTION_MEMORY_MB, type HandlerName, handlerEntry } from '#functions/manifest.ts';

/** The repository root: handler entries, the lock file and tsconfig.json are resolved from it. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

/**
 * Lets bundled CommonJS dependencies (twilio and friends) call `require` inside the ESM bundle.
 * The import is aliased so it cannot clash with a bundled module that imports `createRequire` itself.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __heraldCreateRequire } from 'node:module'; const require = __heraldCreateRequire(import.meta.url);";

export interface HeraldFunctionProps {
  /** Folder under functions/ holding handler.ts: a manifest `handler`. */
  readonly handler: HandlerName;
  readonly description?: string;
  /** @default 10 seconds, well inside the HTTP API's 30 s integration limit */
  readonly timeout?: Duration;
  /** @default FUNCTION_MEMORY_MB */
  readonly memorySize?: number;
  readonly environment?: Readonly<Record<string, string>>;
  /** @default three months */
  readonly logRetention?: logs.RetentionDays;
  /** Caps concurrent invocations, e.g. to a provider's rate; @default the account's unreserved pool */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * One Herald Lambda function with the project's defaults: Node.js 24 on ARM64, an ESM bundle
 * built by the local esbuild with source maps, active tracing, JSON logs into its own log group
 * and a role of its own that starts with nothing but the right to write that log group.
 * Callers add exactly the permissions the handler needs through `grantPrincipal`.
 */
export class HeraldFunction extends Construct implements iam.IGrantable {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: HeraldFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
    });

    // An explicit role instead of the default one: the default attaches the AWS-managed
    // AWSLambdaBasicExecutionRole, which may write to every log group in the account.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Herald ${props.handler}`,
    });
    this.grantPrincipal = this.role;
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(REPO_ROOT, handlerEntry(props.handler)),
      handler: 'handler',
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      projectRoot: REPO_ROOT,
      description: props.description ?? `Herald ${props.handler}`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? FUNCTION_MEMORY_MB,
      timeout: props.timeout ?? Duration.seconds(10),
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'herald',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        // twitter-text imports 'punycode', which Node resolves to its deprecated built-in (a
        // DEP0040 warning at every cold start); the trailing slash bundles the npm package it names.
        esbuildArgs: { '--alias:punycode': 'punycode/' },
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        // Pin the SDK version we test with instead of the one the runtime happens to ship.
        bundleAwsSDK: true,
        tsconfig: path.join(REPO_ROOT, 'tsconfig.json'),
        forceDockerBundling: false,
      },
    });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.',
    });
  }
}

import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { STREAM_CONSUMERS, WORKERS } from '#functions/manifest.ts';
import { ROLES } from '#shared/domain/roles.ts';
import { ApprovalsTopic } from './constructs/approvals-topic.ts';
import { BroadcastBus } from './constructs/broadcast-bus.ts';
import { HeraldTables } from './constructs/herald-tables.ts';
import { consoleBucketName, StatusSite } from './constructs/status-site.ts';
import type { CustomDomain } from './herald-config.ts';

export type Provider = 'twilio' | 'x' | 'facebook';

/**
 * The JSON keys each provider secret holds: the names of the variables `shared/config.ts`
 * validates, laid over the environment; shared/clients/providers.ts reads the secret through
 * Powertools Parameters and again after SECRET_MAX_AGE_SECONDS, so a rotation needs no redeploy.
 */
export const PROVIDER_SECRET_KEYS: Readonly<Record<Provider, readonly string[]>> = {
  twilio: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'],
  x: ['X_APP_KEY', 'X_APP_SECRET', 'X_ACCESS_TOKEN', 'X_ACCESS_SECRET'],
  facebook: ['FACEBOOK_PAGE_TOKEN'],
};

export interface HeraldStatefulStackProps extends StackProps {
  /** The status site's own domain (context `statusDomainName`, `statusCertificateArn`). */
  readonly statusDomain?: CustomDomain;
  /** The Cognito hosted UI's domain prefix (context `authDomainPrefix`); default `herald-<env>-<account>`. */
  readonly authDomainPrefix?: string;
  /** The environment's name, for the default domain prefix. */
  readonly envName?: string;
  /** Subscribed to the approvals topic (context `approvalEmails`, `approvalPhones`). */
  readonly approvalEmails?: readonly string[];
  readonly approvalPhones?: readonly string[];
}

/**
 * Everything that holds data or identity and must survive a redeploy of the code: tables,
 * topic and queues, the status bucket and its distribution, provider secrets, the user pool.
 */
export class HeraldStatefulStack extends Stack {
  readonly tables: HeraldTables;
  readonly bus: BroadcastBus;
  /** Where approval notices go: the comms leads' e-mail and phones. */
  readonly approvals: ApprovalsTopic;
  readonly statusSite: StatusSite;
  readonly secrets: Readonly<Record<Provider, secretsmanager.Secret>>;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  /** The hosted UI's host name (`<prefix>.auth.<region>.amazoncognito.com`), where the console signs in. */
  readonly authDomain: string;

  constructor(scope: Construct, id: string, props: HeraldStatefulStackProps = {}) {
    super(scope, id, props);

    this.tables = new HeraldTables(this, 'Tables');
    this.bus = new BroadcastBus(this, 'Bus', { workers: WORKERS, streamConsumers: STREAM_CONSUMERS });
    this.approvals = new ApprovalsTopic(this, 'Approvals', {
      envName: props.envName ?? 'dev',
      emails: props.approvalEmails ?? [],
      phones: props.approvalPhones ?? [],
    });
    this.statusSite = new StatusSite(this, 'StatusSite', {
      ...(props.statusDomain ? { domain: props.statusDomain } : {}),
      consoleBucketName: consoleBucketName(props.envName ?? 'dev'),
    });

    const secret = (provider: Provider, description: string) => {
      // Only the shape is in the template; the values are put by an operator after deploy.
      const created = new secretsmanager.Secret(this, `${provider}-secret`, {
        description,
        generateSecretString: {
          secretStringTemplate: JSON.stringify(
            Object.fromEntries(PROVIDER_SECRET_KEYS[provider].map((key) => [key, ''])),
          ),
          // CloudFormation needs a generated key; it is merged into the environment unused.
          generateStringKey: 'HERALD_SECRET_PLACEHOLDER',
        },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(created).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          "Provider API credentials are issued and rotated in the provider's console (Twilio, X, Meta); no Lambda can rotate them.",
      });
      return created;
    };
    this.secrets = {
      twilio: secret('twilio', 'Herald Twilio credentials'),
      x: secret('x', 'Herald X (Twitter) API credentials'),
      facebook: secret('facebook', 'Herald Facebook page token'),
    };

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Handlers read roles from the `cognito:groups` claim of the access token.
    for (const role of ROLES) {
      new cognito.UserPoolGroup(this, `group-${role}`, { userPool: this.userPool, groupName: role });
    }
    const domain = this.userPool.addDomain('HostedUi', {
      cognitoDomain: {
        domainPrefix:
          props.authDomainPrefix ?? `herald-${(props.envName ?? 'dev').toLowerCase()}-${Aws.ACCOUNT_ID}`,
      },
    });
    this.authDomain = `${domain.domainName}.auth.${this.region}.amazoncognito.com`;
    const consoleUrl = this.statusSite.consoleUrl;
    this.userPoolClient = this.userPool.addClient('ConsoleClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      // The console in AWS: authorization code with PKCE through the hosted UI, back to itself.
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [consoleUrl],
        logoutUrls: [consoleUrl],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });

    new CfnOutput(this, 'StatusSiteUrl', { value: this.statusSite.url });
    new CfnOutput(this, 'StatusDistributionDomainName', {
      description: 'Where a custom status domain points (CNAME or Route 53 alias)',
      value: this.statusSite.distribution.distributionDomainName,
    });
    new CfnOutput(this, 'ApprovalsTopicArn', {
      description: 'Approval notices (subscribe more comms leads here)',
      value: this.approvals.topic.topicArn,
    });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    for (const [provider, secret] of Object.entries(this.secrets)) {
      new CfnOutput(this, `${provider.charAt(0).toUpperCase()}${provider.slice(1)}SecretArn`, {
        description: `Put the ${provider} credentials here (JSON with keys ${PROVIDER_SECRET_KEYS[provider as Provider].join(', ')})`,
        value: secret.secretArn,
      });
    }
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'ConsoleUrl', { description: 'The operations console', value: consoleUrl });
    new CfnOutput(this, 'AuthDomain', { description: 'The Cognito hosted UI', value: this.authDomain });
  }
}

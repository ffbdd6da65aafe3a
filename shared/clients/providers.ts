/**
 * The provider clients (Twilio, X, Facebook Graph), each created once per process and only
 * when first asked for, so a worker needs its own provider's settings and no other. In AWS
 * the credentials come from Secrets Manager (`*_SECRET_ARN`); locally from the environment,
 * where `*_BASE_URL` points the real SDKs at the sandboxes.
 *
 * Handlers take them at module load: `const sms = await twilioSmsSender();`.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { FacebookPoster } from '#shared/adapters/facebook-poster.ts';
import { TwilioSmsSender } from '#shared/adapters/twilio-sms-sender.ts';
import { XPoster } from '#shared/adapters/x-poster.ts';
import { deliveryConfig, facebookConfig, mergeSecretIntoEnv, twilioConfig, xConfig } from '#shared/config.ts';
import type { SmsSender, SocialPoster } from '#shared/ports/providers.ts';

let secretsManager: SecretsManagerClient | undefined;

/** Created on first use: local runs and tests have no secret to read and no AWS region. */
async function getSecretString(arn: string): Promise<string | undefined> {
  secretsManager ??= new SecretsManagerClient({});
  const { SecretString } = await secretsManager.send(new GetSecretValueCommand({ SecretId: arn }));
  return SecretString;
}

/** One shared creation per process; a failure (Secrets Manager unreachable) is retried on the next call. */
function singleton<T>(create: () => Promise<T>): () => Promise<T> {
  let created: Promise<T> | undefined;
  return () => {
    created ??= create().catch((error: unknown) => {
      created = undefined;
      throw error;
    });
    return created;
  };
}

/** The SMS sender, from TWILIO_* (or the secret at TWILIO_SECRET_ARN). */
export const twilioSmsSender = singleton(async (): Promise<SmsSender> => {
  await mergeSecretIntoEnv('TWILIO_SECRET_ARN', getSecretString);
  const config = twilioConfig();
  return new TwilioSmsSender({
    timeoutMs: deliveryConfig().providerTimeoutMs,
    accountSid: config.TWILIO_ACCOUNT_SID,
    authToken: config.TWILIO_AUTH_TOKEN,
    from: config.TWILIO_FROM,
    apiBaseUrl: config.TWILIO_API_BASE_URL,
  });
});

/** The X poster, from X_* (or the secret at X_SECRET_ARN). */
export const xPoster = singleton(async (): Promise<SocialPoster> => {
  await mergeSecretIntoEnv('X_SECRET_ARN', getSecretString);
  const config = xConfig();
  return new XPoster({
    timeoutMs: deliveryConfig().providerTimeoutMs,
    appKey: config.X_APP_KEY,
    appSecret: config.X_APP_SECRET,
    accessToken: config.X_ACCESS_TOKEN,
    accessSecret: config.X_ACCESS_SECRET,
    apiBaseUrl: config.X_API_BASE_URL,
  });
});

/** The Facebook Page poster, from FACEBOOK_* (or the secret at FACEBOOK_SECRET_ARN). */
export const facebookPoster = singleton(async (): Promise<SocialPoster> => {
  await mergeSecretIntoEnv('FACEBOOK_SECRET_ARN', getSecretString);
  const config = facebookConfig();
  return new FacebookPoster({
    timeoutMs: deliveryConfig().providerTimeoutMs,
    pageId: config.FACEBOOK_PAGE_ID,
    pageToken: config.FACEBOOK_PAGE_TOKEN,
    graphBaseUrl: config.FACEBOOK_GRAPH_BASE_URL,
    graphVersion: config.FACEBOOK_GRAPH_VERSION,
  });
});

/** Twilio's auth token, which also signs its webhooks (X-Twilio-Signature). */
export const twilioAuthToken = singleton(async (): Promise<string> => {
  await mergeSecretIntoEnv('TWILIO_SECRET_ARN', getSecretString);
  return twilioConfig().TWILIO_AUTH_TOKEN;
});

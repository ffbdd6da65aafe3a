/**
 * The provider clients (Twilio, X, Facebook Graph). In AWS the credentials come from Secrets
 * Manager (`*_SECRET_ARN`) through Powertools Parameters, cached for SECRET_MAX_AGE_SECONDS;
 * locally from the environment, where `*_BASE_URL` points the real SDKs at the sandboxes.
 *
 * Handlers ask for their client in every invocation (`sms: await twilioSmsSender()`): the same
 * client while the settings stay the same, a new one once a rotated secret has been read, so no
 * warm instance keeps sending with a revoked credential.
 */

import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { FacebookPoster } from '#shared/adapters/facebook-poster.ts';
import { TwilioSmsSender } from '#shared/adapters/twilio-sms-sender.ts';
import { XPoster } from '#shared/adapters/x-poster.ts';
import {
  deliveryConfig,
  facebookConfig,
  type SecretArnVariable,
  twilioConfig,
  xConfig,
} from '#shared/config.ts';
import type { SmsSender, SmsStatusSource, SocialPoster } from '#shared/ports/providers.ts';
import { tracer } from '#shared/tracer.ts';

/** How long a secret read is used before it is read again: a rotation reaches every instance within it. */
export const SECRET_MAX_AGE_SECONDS = 300;

let secrets: SecretsProvider | undefined;

/**
 * The text of the secret named by `arnVariable`, read at most once per SECRET_MAX_AGE_SECONDS (a
 * failed read is not cached); none when the variable is unset (local runs, tests).
 */
async function secretText(arnVariable: SecretArnVariable): Promise<string | undefined> {
  const arn = process.env[arnVariable];
  if (!arn) return undefined;
  // Created on first use: local runs and tests have no secret to read and no AWS region.
  secrets ??= new SecretsProvider({
    awsSdkV3Client: tracer.captureAWSv3Client(new SecretsManagerClient({})),
  });
  const value = await secrets.get(arn, { maxAge: SECRET_MAX_AGE_SECONDS });
  // A binary secret is no JSON of settings: the config check says so, naming the variable.
  return typeof value === 'string' ? value : '';
}

/** A provider's client for its current settings, made again only when they change. */
function providerClient<Settings, Client>(
  arnVariable: SecretArnVariable,
  settingsOf: (secretText?: string) => Settings,
  create: (settings: Settings) => Client,
): () => Promise<Client> {
  let last: { settings: Settings; client: Client } | undefined;
  return async () => {
    const settings = settingsOf(await secretText(arnVariable));
    if (last?.settings !== settings) last = { settings, client: create(settings) };
    return last.client;
  };
}

/** The SMS sender, from TWILIO_* (or the secret at TWILIO_SECRET_ARN); it also fetches a message's state. */
export const twilioSmsSender = providerClient(
  'TWILIO_SECRET_ARN',
  twilioConfig,
  (config): SmsSender & SmsStatusSource =>
    new TwilioSmsSender({
      timeoutMs: deliveryConfig().providerTimeoutMs,
      accountSid: config.TWILIO_ACCOUNT_SID,
      authToken: config.TWILIO_AUTH_TOKEN,
      from: config.TWILIO_FROM,
      apiBaseUrl: config.TWILIO_API_BASE_URL,
    }),
);

/** The X poster, from X_* (or the secret at X_SECRET_ARN). */
export const xPoster = providerClient(
  'X_SECRET_ARN',
  xConfig,
  (config): SocialPoster =>
    new XPoster({
      timeoutMs: deliveryConfig().providerTimeoutMs,
      appKey: config.X_APP_KEY,
      appSecret: config.X_APP_SECRET,
      accessToken: config.X_ACCESS_TOKEN,
      accessSecret: config.X_ACCESS_SECRET,
      apiBaseUrl: config.X_API_BASE_URL,
    }),
);

/** The Facebook Page poster, from FACEBOOK_* (or the secret at FACEBOOK_SECRET_ARN). */
export const facebookPoster = providerClient(
  'FACEBOOK_SECRET_ARN',
  facebookConfig,
  (config): SocialPoster =>
    new FacebookPoster({
      timeoutMs: deliveryConfig().providerTimeoutMs,
      pageId: config.FACEBOOK_PAGE_ID,
      pageToken: config.FACEBOOK_PAGE_TOKEN,
      graphBaseUrl: config.FACEBOOK_GRAPH_BASE_URL,
      graphVersion: config.FACEBOOK_GRAPH_VERSION,
    }),
);

/** Twilio's auth token, which also signs its webhooks (X-Twilio-Signature). */
export async function twilioAuthToken(): Promise<string> {
  return twilioConfig(await secretText('TWILIO_SECRET_ARN')).TWILIO_AUTH_TOKEN;
}

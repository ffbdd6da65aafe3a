import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClientForFile } from '#test/support/aws-client-mock.ts';

const ARN = 'arn:aws:secretsmanager:eu-north-1:000000000000:secret:herald-twilio';
const secretsMock = mockClientForFile(SecretsManagerClient);
const twilioSecret = (authToken: string) => ({
  SecretString: JSON.stringify({ TWILIO_ACCOUNT_SID: 'AC0123', TWILIO_AUTH_TOKEN: authToken }),
});

/** The providers module as a new instance loads it: nothing read or cached yet. */
async function freshProviders() {
  vi.resetModules();
  return import('#shared/clients/providers.ts');
}

beforeEach(() => {
  secretsMock.reset();
  vi.stubEnv('AWS_REGION', 'eu-north-1');
  vi.stubEnv('TWILIO_SECRET_ARN', ARN);
  vi.stubEnv('TWILIO_FROM', '+358400000000');
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe('provider secrets (Powertools Parameters)', () => {
  it('reads a secret once per SECRET_MAX_AGE_SECONDS, then again, so a rotated token is used without a redeploy', async () => {
    secretsMock
      .on(GetSecretValueCommand)
      .resolvesOnce(twilioSecret('first-token'))
      .resolvesOnce(twilioSecret('rotated-token'));
    const { twilioAuthToken, SECRET_MAX_AGE_SECONDS } = await freshProviders();

    expect(await twilioAuthToken()).toBe('first-token');
    vi.advanceTimersByTime((SECRET_MAX_AGE_SECONDS - 1) * 1000);
    expect(await twilioAuthToken()).toBe('first-token');
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(1);

    vi.advanceTimersByTime(2_000);
    expect(await twilioAuthToken()).toBe('rotated-token');
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    expect(secretsMock.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({ SecretId: ARN });
  });

  it('keeps one SMS client while the secret is unchanged and makes a new one once it is rotated', async () => {
    secretsMock
      .on(GetSecretValueCommand)
      .resolvesOnce(twilioSecret('first-token'))
      .resolvesOnce(twilioSecret('rotated-token'));
    const { twilioSmsSender, SECRET_MAX_AGE_SECONDS } = await freshProviders();

    const first = await twilioSmsSender();
    expect(await twilioSmsSender()).toBe(first);
    vi.advanceTimersByTime((SECRET_MAX_AGE_SECONDS + 1) * 1000);

    expect(await twilioSmsSender()).not.toBe(first);
  });

  it('does not keep a failed read: the next invocation reads the secret again', async () => {
    secretsMock
      .on(GetSecretValueCommand)
      .rejectsOnce(new Error('Secrets Manager unreachable'))
      .resolvesOnce(twilioSecret('first-token'));
    const { twilioAuthToken } = await freshProviders();

    await expect(twilioAuthToken()).rejects.toThrow();
    expect(await twilioAuthToken()).toBe('first-token');
  });

  it('refuses a secret that is not JSON without quoting it', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: 'hunter2-not-json' });
    const { twilioAuthToken } = await freshProviders();

    const failure = await twilioAuthToken().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe('The secret named by TWILIO_SECRET_ARN is not JSON');
  });
});

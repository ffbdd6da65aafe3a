/**
 * The local stack's side of the fallback SMS provider: the AWS End User Messaging SMS sandbox
 * sends its delivery events to the local SNS endpoint's events topic (as a configuration set's
 * event destination does in AWS), and the SMS worker fails over to the sandbox only when
 * HERALD_SMS_FALLBACK_ORIGINATION_IDENTITY is set.
 */
import type { LocalSettings } from './settings.ts';

/** The configuration set the local stack's fallback sends with, and whose events reach the topic. */
const LOCAL_CONFIGURATION_SET = 'herald-local';

/** Points the sandbox's configuration set at `topicArn` on the local SNS endpoint. */
export async function setSmsEventDestination(sandboxUrl: string, topicArn: string, snsEndpoint: string) {
  const response = await fetch(`${sandboxUrl}/__sandbox/event-destination`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ configurationSetName: LOCAL_CONFIGURATION_SET, topicArn, snsEndpoint }),
  });
  if (!response.ok) throw new Error(`The AWS SMS sandbox refused its event destination (${response.status})`);
}

/** The SMS worker's fallback settings: the sandbox as the service's endpoint, the sender only if set. */
export function smsFallbackEnvironment(settings: LocalSettings, sandboxUrl: string): Record<string, string> {
  const identity = settings.HERALD_SMS_FALLBACK_ORIGINATION_IDENTITY;
  // An earlier stack of the same process may have set it: unset, this one has no fallback.
  if (identity === undefined) delete process.env.HERALD_SMS_FALLBACK_ORIGINATION_IDENTITY;
  return {
    AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2: sandboxUrl,
    HERALD_SMS_FALLBACK_CONFIGURATION_SET: LOCAL_CONFIGURATION_SET,
    HERALD_SMS_FALLBACK_PREFIXES: settings.HERALD_SMS_FALLBACK_PREFIXES.join(','),
    ...(identity === undefined ? {} : { HERALD_SMS_FALLBACK_ORIGINATION_IDENTITY: identity }),
  };
}

/**
 * The provider sandboxes of the local stack (Twilio, X, Facebook Graph, and AWS End User
 * Messaging SMS, the fallback SMS provider), started and
 * stopped together. Each one is an HTTP server on 127.0.0.1 speaking its provider's real
 * API plus the `/__sandbox/*` endpoints of the contract.
 */
import type { LocalSettings } from '../settings.ts';
import { LOCAL_TWILIO_AUTH_TOKEN } from './credentials.ts';
import { startFacebookSandbox } from './facebook-sandbox.ts';
import type { LatencyProfile } from './faults.ts';
import type { RunningSandbox } from './sandbox-server.ts';
import { startSmsVoiceSandbox } from './sms-voice-sandbox.ts';
import { startTwilioSandbox } from './twilio-sandbox.ts';
import { startXSandbox } from './x-sandbox.ts';

export type { FacebookSandboxOptions } from './facebook-sandbox.ts';
export type { FaultSettings, LatencyProfile, LatencyRange } from './faults.ts';
export { parseLatencyProfile } from './faults.ts';
export type { RecordedMessage, RunningSandbox } from './sandbox-server.ts';
export type { TwilioSandboxOptions } from './twilio-sandbox.ts';
export type { XSandboxOptions } from './x-sandbox.ts';
export { startFacebookSandbox, startTwilioSandbox, startXSandbox };

export interface SandboxesOptions {
  /** 0 picks a free port; the real one is in the result. */
  twilioPort: number;
  xPort: number;
  facebookPort: number;
  /** Default 0: a free port. */
  awsSmsPort?: number;
  /** Must equal the TWILIO_AUTH_TOKEN the senders use: the sandbox checks it and signs callbacks with it. */
  twilioAuthToken: string;
  /** Per-sandbox latency of the providers' API routes (HERALD_SANDBOX_LATENCY); none when left out. */
  latency?: LatencyProfile;
}

/** The local settings' sandbox ports and latency, with the token the stack's Twilio client uses. */
export function sandboxesOptions(settings: LocalSettings): SandboxesOptions {
  return {
    twilioPort: settings.HERALD_SANDBOX_TWILIO_PORT,
    xPort: settings.HERALD_SANDBOX_X_PORT,
    facebookPort: settings.HERALD_SANDBOX_FACEBOOK_PORT,
    awsSmsPort: settings.HERALD_SANDBOX_AWS_SMS_PORT,
    twilioAuthToken: LOCAL_TWILIO_AUTH_TOKEN,
    latency: settings.HERALD_SANDBOX_LATENCY,
  };
}

export interface Sandboxes {
  twilio: { url: string; port: number };
  x: { url: string; port: number };
  facebook: { url: string; port: number };
  awsSms: { url: string; port: number };
  close(): Promise<void>;
}

async function closeAll(sandboxes: RunningSandbox[]): Promise<void> {
  const results = await Promise.allSettled(sandboxes.map((sandbox) => sandbox.close()));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}

/** Starts the four sandboxes; if one cannot start (port taken), the others are closed again. */
export async function startSandboxes(options: SandboxesOptions): Promise<Sandboxes> {
  const started = await Promise.allSettled([
    startTwilioSandbox({ port: options.twilioPort, authToken: options.twilioAuthToken }),
    startXSandbox({ port: options.xPort }),
    startFacebookSandbox({ port: options.facebookPort }),
    startSmsVoiceSandbox({ port: options.awsSmsPort ?? 0 }),
  ]);
  const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const [twilio, x, facebook, awsSms] = started;
  if (
    twilio?.status !== 'fulfilled' ||
    x?.status !== 'fulfilled' ||
    facebook?.status !== 'fulfilled' ||
    awsSms?.status !== 'fulfilled'
  ) {
    await closeAll(running);
    const failure = started.find((result) => result.status === 'rejected');
    throw failure?.reason ?? new Error('A sandbox failed to start');
  }
  twilio.value.setLatency(options.latency?.twilio);
  x.value.setLatency(options.latency?.x);
  facebook.value.setLatency(options.latency?.facebook);
  const address = ({ url, port }: RunningSandbox) => ({ url, port });
  return {
    twilio: address(twilio.value),
    x: address(x.value),
    facebook: address(facebook.value),
    awsSms: address(awsSms.value),
    close: () => closeAll(running),
  };
}

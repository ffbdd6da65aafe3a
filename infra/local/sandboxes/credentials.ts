/**
 * The provider credentials of the local stack, in a module of their own so that the sandboxes
 * started in a separate process (`infra/local/sandboxes/main.ts`) and the stack that talks to
 * them agree without either importing the other.
 */

/** The Twilio account the local stack sends as; the sandbox accepts whichever SID Basic auth names. */
export const LOCAL_TWILIO_ACCOUNT_SID = 'AC00000000000000000000000000000000';

/** Checked by the Twilio sandbox and used to sign its status callbacks, as Twilio does. */
export const LOCAL_TWILIO_AUTH_TOKEN = 'local-twilio-auth-token';

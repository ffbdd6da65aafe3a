import type { Channel } from '#shared/domain/model.ts';

/** Each channel as the console names it. */
export const CHANNEL_NAMES: Record<Channel, string> = {
  sms: 'SMS',
  x: 'X',
  facebook: 'Facebook',
  status: 'Status page',
};

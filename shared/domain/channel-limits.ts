/**
 * How each channel measures a text: SMS encoding and segments (Twilio's own calculator), X's
 * weighted length (the official twitter-text). Preview, template checks and workers all ask here.
 */
import { SegmentedMessage } from 'sms-segments-calculator';
import twitterText from 'twitter-text';

export const X_MAX_WEIGHTED_LENGTH = 280;

export interface SmsMeasure {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
}

export function measureSms(text: string): SmsMeasure {
  const message = new SegmentedMessage(text);
  return { encoding: message.encodingName === 'UCS-2' ? 'UCS-2' : 'GSM-7', segments: message.segmentsCount };
}

/** X counts most CJK and emoji as two and every URL as 23. */
export function xWeightedLength(text: string): number {
  return twitterText.parseTweet(text).weightedLength;
}

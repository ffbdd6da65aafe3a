/**
 * Sender pools: which sender a passenger's SMS goes from, and how fast each sender may send. A
 * sender serves number prefixes (a country code or longer); a number goes to the sender with its
 * longest matching prefix, else to the default. One schema reads the pool wherever it is
 * configured: HERALD_SMS_SENDERS (the local stack, the Lambdas) and the CDK context `smsSenders`.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * Who an SMS comes from: a long code, short code or alphanumeric sender ID (Twilio's `From`), or a
 * Twilio Messaging Service that picks one of its own numbers (`MessagingServiceSid`).
 */
export type SmsOrigin = { from: string } | { messagingServiceSid: string };

/** Twilio's formats for a sender; the Twilio sandbox refuses anything else, as Twilio does. */
export const SENDER_FORMATS = {
  longCode: /^\+[1-9]\d{6,14}$/,
  shortCode: /^\d{3,8}$/,
  /** Up to 11 letters, digits and spaces, at least one letter: a sender ID cannot be all digits. */
  alphanumericId: /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/,
  messagingServiceSid: /^MG[0-9a-fA-F]{32}$/,
} as const;

const KINDS = ['messagingServiceSid', 'longCodes', 'shortCode', 'alphanumericId'] as const;

const SmsSenderSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes, up to 40'),
    /** Country codes or longer prefixes of E.164 numbers, with their +. */
    prefixes: z.array(z.string().regex(/^\+\d{1,14}$/, 'a + and digits, e.g. +358')).default([]),
    /** Messages (segments) per second; for a list of long codes, per number. */
    perSecond: z.number().positive().max(1000),
    messagingServiceSid: z
      .string()
      .regex(SENDER_FORMATS.messagingServiceSid, 'MG and 32 hex digits')
      .optional(),
    longCodes: z
      .array(z.string().regex(SENDER_FORMATS.longCode, 'an E.164 number, e.g. +358401234567'))
      .min(1)
      .optional(),
    shortCode: z.string().regex(SENDER_FORMATS.shortCode, '3 to 8 digits').optional(),
    alphanumericId: z
      .string()
      .regex(SENDER_FORMATS.alphanumericId, 'up to 11 letters, digits and spaces, at least one letter')
      .optional(),
    /**
     * Where a passenger replies STOP or HELP to, named at the end of each SMS: an alphanumeric
     * sender cannot receive replies, so it needs an E.164 number or an https link.
     */
    replyTo: z
      .union([z.string().regex(SENDER_FORMATS.longCode), z.url({ protocol: /^https$/ })], {
        error: 'an E.164 number or an https link',
      })
      .optional(),
  })
  .strict()
  .superRefine((sender, context) => {
    const kinds = KINDS.filter((kind) => sender[kind] !== undefined);
    if (kinds.length !== 1)
      context.addIssue({
        code: 'custom',
        message: `give exactly one of ${KINDS.join(', ')} (found ${kinds.length === 0 ? 'none' : kinds.join(', ')})`,
      });
    if (sender.alphanumericId !== undefined && sender.replyTo === undefined)
      context.addIssue({
        code: 'custom',
        path: ['replyTo'],
        message:
          'an alphanumeric sender cannot receive replies: name a number or an https link for STOP and HELP',
      });
  });

const SmsSenderPoolSchema = z
  .object({
    /** The sender of numbers no prefix matches. */
    defaultSender: z.string(),
    senders: z.array(SmsSenderSchema).min(1),
  })
  .strict()
  .superRefine((pool, context) => {
    const ids = new Set<string>();
    const servedBy = new Map<string, string>();
    pool.senders.forEach((sender, index) => {
      if (ids.has(sender.id))
        context.addIssue({
          code: 'custom',
          path: ['senders', index, 'id'],
          message: 'a second sender with this id',
        });
      ids.add(sender.id);
      for (const prefix of sender.prefixes) {
        const other = servedBy.get(prefix);
        if (other !== undefined)
          context.addIssue({
            code: 'custom',
            path: ['senders', index, 'prefixes'],
            message: `${prefix} is already served by "${other}"`,
          });
        servedBy.set(prefix, sender.id);
      }
    });
    if (!ids.has(pool.defaultSender))
      context.addIssue({
        code: 'custom',
        path: ['defaultSender'],
        message: `no sender has the id "${pool.defaultSender}"`,
      });
  });

export type SmsSenderConfig = z.infer<typeof SmsSenderSchema>;
export type SmsSenderPool = z.infer<typeof SmsSenderPoolSchema>;

/**
 * The pool in `value`, or what is wrong with it, one line per problem naming the entry
 * (`senders[1] "nordic".replyTo: …`).
 */
export function parseSmsSenderPool(value: unknown): { pool: SmsSenderPool } | { problems: string[] } {
  const result = SmsSenderPoolSchema.safeParse(value);
  if (result.success) return { pool: result.data };
  return {
    problems: result.error.issues.map((issue) => `${entryName(value, issue.path)}: ${issue.message}`),
  };
}

/** An issue's path with the sender's index and id, so the bad entry can be found in a long file. */
function entryName(value: unknown, path: readonly PropertyKey[]): string {
  const [first, index, ...rest] = path;
  if (first !== 'senders' || typeof index !== 'number') return path.map(String).join('.') || '(the pool)';
  const senders = (value as { senders?: { id?: unknown }[] }).senders;
  const id = senders?.[index]?.id;
  return [`senders[${index}]${typeof id === 'string' ? ` "${id}"` : ''}`, ...rest.map(String)].join('.');
}

/** One sender as chosen for a number: where the SMS comes from and the rate that paces it. */
export interface ChosenSender {
  senderId: string;
  origin: SmsOrigin;
  /** Names the shared limiter: the sender, or the one long code of its list. */
  paceKey: string;
  perSecond: number;
  replyTo?: string;
}

/** The sender serving `phone`: the longest matching prefix, else the default. */
export function senderFor(pool: SmsSenderPool, phone: string): SmsSenderConfig {
  let best: { sender: SmsSenderConfig; length: number } | undefined;
  for (const sender of pool.senders)
    for (const prefix of sender.prefixes)
      if (phone.startsWith(prefix) && prefix.length > (best?.length ?? 0))
        best = { sender, length: prefix.length };
  // The schema checked that the default exists.
  return best?.sender ?? (pool.senders.find((sender) => sender.id === pool.defaultSender) as SmsSenderConfig);
}

/**
 * Where `phone`'s SMS comes from. A list of long codes gives each passenger always the same
 * number (by a hash of theirs), so a reply lands in the conversation they know and the numbers
 * share the load evenly.
 */
export function chooseSender(pool: SmsSenderPool, phone: string): ChosenSender {
  const sender = senderFor(pool, phone);
  const common = {
    senderId: sender.id,
    perSecond: sender.perSecond,
    ...(sender.replyTo === undefined ? {} : { replyTo: sender.replyTo }),
  };
  if (sender.longCodes) {
    const number = sender.longCodes[hashIndex(phone, sender.longCodes.length)] as string;
    return { ...common, origin: { from: number }, paceKey: `${sender.id}:${number}` };
  }
  const origin: SmsOrigin = sender.messagingServiceSid
    ? { messagingServiceSid: sender.messagingServiceSid }
    : { from: sender.shortCode ?? sender.alphanumericId ?? '' };
  return { ...common, origin, paceKey: sender.id };
}

function hashIndex(text: string, size: number): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) % size;
}

/**
 * The SMS as a sender sends it: one that names where replies go (an alphanumeric sender cannot
 * take them) ends with that number or link for STOP and HELP, in words every language reads.
 */
export function smsWithReplyHint(text: string, replyTo: string | undefined): string {
  return replyTo === undefined ? text : `${text}\nSTOP/HELP: ${replyTo}`;
}

/** A sender's whole rate: a list of long codes sends at its rate from each number. */
export function senderRate(sender: SmsSenderConfig): number {
  return sender.perSecond * (sender.longCodes?.length ?? 1);
}

/** Every sender's rate together: what the pool sends at when all of them have passengers. */
export function poolRate(pool: SmsSenderPool): number {
  return pool.senders.reduce((sum, sender) => sum + senderRate(sender), 0);
}

/** Each sender's rate, and each long code's of a list: what the SMS worker's concurrency is sized by. */
export function pacedRates(pool: SmsSenderPool): number[] {
  return pool.senders.flatMap((sender) => (sender.longCodes ?? [undefined]).map(() => sender.perSecond));
}

/**
 * The rate an audience goes out at, in segments per second, from its segments per sender: the
 * sum of the rates of the senders that serve it when their shares match their rates; a sender
 * with more than its share finishes last, and the whole audience's rate is what it allows.
 */
export function audienceRate(pool: SmsSenderPool, segmentsBySender: ReadonlyMap<string, number>): number {
  let total = 0;
  let slowestSeconds = 0;
  for (const [senderId, segments] of segmentsBySender) {
    const sender = pool.senders.find((candidate) => candidate.id === senderId);
    if (!sender || segments === 0) continue;
    total += segments;
    slowestSeconds = Math.max(slowestSeconds, segments / senderRate(sender));
  }
  return slowestSeconds === 0 ? poolRate(pool) : total / slowestSeconds;
}

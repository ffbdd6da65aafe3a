/**
 * The sender-pool scenario shared by its e2e test and `npm run bench:senders`: three senders at
 * 2 + 3 + 5 SMS/s, 300 passengers on one flight split between them in proportion to their rates,
 * and per-sender counts and rates read from the Twilio sandbox's log.
 */
import type { BroadcastDetail } from '#shared/api/broadcasts.ts';
import type { SmsSenderPool } from '#shared/domain/sms-senders.ts';
import { type ApiResponse, eventually, type SandboxMessage, startTestStack } from './local-stack.ts';

type ApiCall = <T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
) => Promise<ApiResponse<T>>;

const SERVICE_SID = `MG${'5e4de7'.padEnd(32, '0')}`;
const LONG_CODES = ['+358401110001', '+358401110002'];

/** Sweden by alphanumeric ID, the UK through a Messaging Service, Finland from two long codes at 2.5/s each. */
export const THREE_SENDERS: SmsSenderPool = {
  defaultSender: 'finland',
  senders: [
    {
      id: 'sweden',
      prefixes: ['+46'],
      alphanumericId: 'HERALD',
      replyTo: 'https://herald.example/sms',
      perSecond: 2,
    },
    { id: 'uk', prefixes: ['+44'], messagingServiceSid: SERVICE_SID, perSecond: 3 },
    { id: 'finland', prefixes: ['+358'], longCodes: LONG_CODES, perSecond: 2.5 },
  ],
};

/** Passengers per sender: 300 in proportion to 2 : 3 : 5, so all three finish together. */
export const PASSENGERS_BY_SENDER = { sweden: 60, uk: 90, finland: 150 } as const;
type PoolSender = keyof typeof PASSENGERS_BY_SENDER;

const PHONE_PREFIX: Record<PoolSender, string> = { sweden: '+4670', uk: '+44770', finland: '+35850' };
const LANGUAGE: Record<PoolSender, string> = { sweden: 'sv', uk: 'en', finland: 'fi' };
const BOOKING_SIZE = 4;

/**
 * A local stack sending through THREE_SENDERS. The pool goes into this process's environment too:
 * the in-process SMS worker reads it from there, and the stack checks it as it starts.
 */
export function startPoolStack(overrides: Record<string, string> = {}) {
  process.env.HERALD_SMS_SENDERS = JSON.stringify(THREE_SENDERS);
  return startTestStack({ HERALD_SMS_SENDERS: process.env.HERALD_SMS_SENDERS, ...overrides });
}

/** Each passenger's phone, by the sender its prefix goes to. */
export function poolPhones(): Record<PoolSender, string[]> {
  const entries = Object.entries(PASSENGERS_BY_SENDER).map(([sender, count]) => [
    sender,
    Array.from(
      { length: count },
      (_, index) => `${PHONE_PREFIX[sender as PoolSender]}${String(1_000_000 + index).slice(-7)}`,
    ),
  ]);
  return Object.fromEntries(entries) as Record<PoolSender, string[]>;
}

/**
 * The passengers in booking order as a flight mixes them, every ten of them 2 by the Swedish
 * sender, 3 by the UK's and 5 by the Finnish, rather than one country after another.
 */
function mixedAsOnAFlight(phones: Record<PoolSender, string[]>): { sender: PoolSender; phone: string }[] {
  const senders = Object.keys(PASSENGERS_BY_SENDER) as PoolSender[];
  const rounds = PASSENGERS_BY_SENDER.sweden / 2;
  return Array.from({ length: rounds }, (_, round) =>
    senders.flatMap((sender) => {
      const perRound = PASSENGERS_BY_SENDER[sender] / rounds;
      return phones[sender]
        .slice(round * perRound, (round + 1) * perRound)
        .map((phone) => ({ sender, phone }));
    }),
  ).flat();
}

/** Lines per import request: small enough to finish well within the API's timeout on a loaded machine. */
const IMPORT_CHUNK = 25;

async function importLines(admin: ApiCall, kind: string, records: object[]): Promise<void> {
  for (let start = 0; start < records.length; start += IMPORT_CHUNK) {
    const lines = records.slice(start, start + IMPORT_CHUNK).map((record) => JSON.stringify(record));
    const response = await admin<{ rejected: unknown[] }>('POST', `/imports/${kind}`, {
      firstLine: start + 1,
      lines,
    });
    if (response.status !== 200 || response.body.rejected.length > 0)
      throw new Error(`Import of ${kind} failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
}

/**
 * Imports one flight leaving Helsinki in three hours with the pool's passengers on it, opens an
 * incident on that flight alone and broadcasts the demo strike template to it by SMS; answers
 * the broadcast's id and when its 202 came.
 */
export async function broadcastToPool(
  admin: ApiCall,
  operator: ApiCall,
): Promise<{ broadcastId: string; acceptedAt: number }> {
  const departure = new Date(Date.now() + 3 * 3_600_000);
  const flight = {
    flightNumber: 'AY4242',
    carrier: 'AY',
    date: departure.toISOString().slice(0, 10),
    origin: 'HEL',
    destination: 'ARN',
    departure: departure.toISOString(),
    arrival: new Date(departure.getTime() + 3_600_000).toISOString(),
  };
  const customers = mixedAsOnAFlight(poolPhones()).map(({ sender, phone }, index) => ({
    customerId: `POOL-${index}`,
    firstName: 'Sam',
    lastName: 'Pool',
    phone,
    language: LANGUAGE[sender],
    smsConsent: true,
  }));
  const bookings = Array.from({ length: Math.ceil(customers.length / BOOKING_SIZE) }, (_, index) => ({
    bookingRef: `POOL${index}`,
    passengers: customers
      .slice(index * BOOKING_SIZE, (index + 1) * BOOKING_SIZE)
      .map((customer) => customer.customerId),
    segments: [{ flightNumber: flight.flightNumber, date: flight.date }],
  }));
  await importLines(admin, 'flights', [flight]);
  await importLines(admin, 'customers', customers);
  await importLines(admin, 'bookings', bookings);

  const incident = await operator<{ id: string }>('POST', '/incidents', {
    type: 'strike',
    title: 'Strike at Helsinki Airport',
    severity: 'severe',
    window: { start: new Date().toISOString(), end: new Date(Date.now() + 6 * 3_600_000).toISOString() },
    scope: { flights: [{ flightNumber: flight.flightNumber, date: flight.date }] },
  });
  if (incident.status !== 201) throw new Error(`The incident was not opened: ${incident.status}`);
  const accepted = await operator<{ id: string }>('POST', `/incidents/${incident.body.id}/broadcasts`, {
    templateId: 'strike-disruption',
    channels: ['sms'],
  });
  if (accepted.status !== 202) throw new Error(`The broadcast was not accepted: ${accepted.status}`);
  return { broadcastId: accepted.body.id, acceptedAt: Date.now() };
}

/** The broadcast once it has ended (completed, partial, failed or cancelled). */
export function broadcastEnded(
  operator: ApiCall,
  broadcastId: string,
  timeoutMs: number,
): Promise<BroadcastDetail> {
  return eventually(async () => {
    // A poll a loaded stack fails (no answer in time, a reset) says nothing of the broadcast: ask again.
    const body = await operator<BroadcastDetail>('GET', `/broadcasts/${broadcastId}`).then(
      (polled) => polled.body,
      () => undefined,
    );
    return body && ['completed', 'partial', 'failed', 'cancelled'].includes(body.status) ? body : undefined;
  }, timeoutMs);
}

/** The sender a message went from, as Twilio was asked: `From`, or the Messaging Service. */
export function originOf(message: SandboxMessage): string {
  return String(message.request.body.From ?? message.request.body.MessagingServiceSid);
}

/** The pool sender whose origin that is (a long code of a list counts for its sender). */
export function poolSenderOf(message: SandboxMessage): string | undefined {
  const origin = originOf(message);
  return THREE_SENDERS.senders.find(
    (sender) =>
      sender.alphanumericId === origin ||
      sender.messagingServiceSid === origin ||
      sender.longCodes?.includes(origin),
  )?.id;
}

export interface SenderFigures {
  messages: number;
  /** Messages per second between its first and its last, as the sandbox received them. */
  perSecond: number;
  firstAt: number;
  lastAt: number;
  /** The most messages received within any BUSIEST_WINDOW_MS, per second: a sender over its rate shows here. */
  busiestPerSecond: number;
}

/** The stretch the busiest rate is measured over: long enough to hold several sends of a 1/s sender. */
export const BUSIEST_WINDOW_MS = 5_000;

/** The most of `times` within any `windowMs`, per second. */
function busiestRate(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let busiest = 0;
  let from = 0;
  sorted.forEach((at, to) => {
    while (at - (sorted[from] ?? at) >= windowMs) from++;
    busiest = Math.max(busiest, to - from + 1);
  });
  return busiest / (windowMs / 1000);
}

/** Messages and measured rate per key (`keyOf`: the pool sender, or the origin for each long code). */
export function figuresBy(
  messages: readonly SandboxMessage[],
  keyOf: (message: SandboxMessage) => string | undefined,
): Map<string, SenderFigures> {
  const times = new Map<string, number[]>();
  for (const message of messages) {
    const key = keyOf(message) ?? 'unknown';
    times.set(key, [...(times.get(key) ?? []), Date.parse(message.receivedAt)]);
  }
  return new Map(
    [...times].map(([key, at]) => {
      const firstAt = Math.min(...at);
      const lastAt = Math.max(...at);
      const seconds = (lastAt - firstAt) / 1000;
      return [
        key,
        {
          messages: at.length,
          perSecond: seconds > 0 ? (at.length - 1) / seconds : 0,
          firstAt,
          lastAt,
          busiestPerSecond: busiestRate(at, BUSIEST_WINDOW_MS),
        },
      ];
    }),
  );
}

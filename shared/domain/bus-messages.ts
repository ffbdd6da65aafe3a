/**
 * The messages on the broadcast topic, per target: what a publisher may send (`Fanout.publish` is
 * typed by BUS_MESSAGES) and the schema the target's worker parses each message with.
 */
import { z } from 'zod';
import type { Channel } from './model.ts';

/**
 * Where a planner continuation resumes the audience: the affected flight's index (soonest
 * first), that flight's key (to notice the flights changed), and the passenger's index on it.
 */
export const AudienceCursor = z.object({
  flight: z.number().int().min(0),
  flightKey: z.string().min(1),
  passenger: z.number().int().min(0),
});
export type AudienceCursor = z.infer<typeof AudienceCursor>;

/** planner: resolve the audience of a broadcast and fan it out, from `resume` on if given (a continuation). */
export const PlanBroadcastMessage = z.object({
  broadcastId: z.string().min(1),
  resume: AudienceCursor.optional(),
});
export type PlanBroadcastMessage = z.infer<typeof PlanBroadcastMessage>;

/** sms: send to these recipients, whose delivery records already exist. */
export const SmsBatchMessage = z.object({
  broadcastId: z.string().min(1),
  customerIds: z.array(z.string().min(1)).min(1),
});
export type SmsBatchMessage = z.infer<typeof SmsBatchMessage>;

/** x, facebook, status: one public post (for status, one timeline entry in every language). */
export const PublicPostMessage = z.object({
  broadcastId: z.string().min(1),
  recipientId: z.string().min(1),
});
export type PublicPostMessage = z.infer<typeof PublicPostMessage>;

/** status: an incident changed without a broadcast (resolved by hand); regenerate the site. */
export const IncidentChangedMessage = z.object({ incidentId: z.string().min(1) });
export type IncidentChangedMessage = z.infer<typeof IncidentChangedMessage>;

/** Who a message on the broadcast topic is for: the `target` message attribute, matched by filter policies. */
export type BusTarget = 'planner' | Channel;

/** Each target's message schema. */
export const BUS_MESSAGES = {
  planner: PlanBroadcastMessage,
  sms: SmsBatchMessage,
  x: PublicPostMessage,
  facebook: PublicPostMessage,
  status: z.union([PublicPostMessage, IncidentChangedMessage]),
} as const satisfies Record<BusTarget, z.ZodType>;

/** A message for `T`, as published and as its worker receives it. */
export type BusMessage<T extends BusTarget> = z.infer<(typeof BUS_MESSAGES)[T]>;

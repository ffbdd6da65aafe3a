/** The messages on the broadcast topic, parsed with these schemas by the worker that receives them. */
import { z } from 'zod';

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

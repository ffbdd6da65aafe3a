/** The messages on the broadcast topic, parsed with these schemas by the worker that receives them. */
import { z } from 'zod';

/** planner: resolve the audience of a broadcast and fan it out. */
export const PlanBroadcastMessage = z.object({ broadcastId: z.string().min(1) });
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

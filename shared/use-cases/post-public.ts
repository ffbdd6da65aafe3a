import type { Language } from '#shared/domain/model.ts';
import { renderBroadcastField } from '#shared/domain/render.ts';
import type { Invocation } from '#shared/ports/invocation.ts';
import type { SocialPoster } from '#shared/ports/providers.ts';
import type {
  BroadcastStore,
  DeliveryStore,
  IncidentStore,
  RateLimiter,
  TemplateStore,
} from '#shared/ports/stores.ts';
import type { CancellationWatch } from './cancellation-watch.ts';
import { deliverOnlyOnce } from './deliver-once.ts';
import { loadBroadcastContext } from './load-broadcast-context.ts';

export interface PostPublicDeps {
  broadcasts: BroadcastStore;
  incidents: IncidentStore;
  templates: TemplateStore;
  deliveries: DeliveryStore;
  poster: SocialPoster;
  /** The channel's posting rate, shared by every worker (X allows 200 posts per 15 minutes). */
  rate: RateLimiter;
  cancellation?: CancellationWatch;
  providerTimeoutMs: number;
}

/**
 * Posts the broadcast's generic `social` text in one language to X or Facebook.
 * 1. loads the broadcast context; a cancelled broadcast posts nothing;
 * 2. renders its kind's wording with only public variables (so no personal data can reach the
 *    post), and the operator's text in that language;
 * 3. continues the incident's thread in that channel and language: an update or the
 *    resolution replies to (X) or comments on (Facebook) the incident's first post there;
 * 4. posts through the ledger once per broadcast, channel and language (`deliverOnce`), paced to
 *    the channel's rate; an uncertain earlier attempt is looked up among the account's own posts;
 * 5. the first post of an incident in a channel and language becomes its thread's root. It is
 *    read back from the ledger, so a redelivered message records a root a crash left unrecorded.
 */
export async function postPublic(
  channel: 'x' | 'facebook',
  broadcastId: string,
  language: Language,
  deps: PostPublicDeps,
  invocation: Invocation,
): Promise<void> {
  const source = await loadBroadcastContext(broadcastId, deps);
  const { broadcast, incident } = source;
  if (broadcast.status === 'cancelled') return;
  const { text } = renderBroadcastField(source, language, 'social');
  const root = await deps.incidents.threadRoot(incident.id, channel, language);
  const thread = root === undefined ? {} : { inReplyTo: root };
  await deliverOnlyOnce(
    { broadcastId, channel, recipientId: language },
    {
      send: () => deps.poster.post({ text, ...thread }),
      findAccepted: (since) => deps.poster.findPosted({ text, ...thread, since }),
    },
    { ...deps, pace: (signal) => deps.rate.acquire(signal) },
    invocation,
  );
  if (root !== undefined) return;
  const delivery = await deps.deliveries.get(broadcastId, channel, language);
  if (delivery?.status === 'sent' && delivery.providerId !== undefined) {
    await deps.incidents.recordThreadRoot(incident.id, channel, language, delivery.providerId);
  }
}

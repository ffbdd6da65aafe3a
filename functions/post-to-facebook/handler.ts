import { socialPostWorker } from '#functions/social-post-worker.ts';
import { facebookPoster } from '#shared/clients/providers.ts';

/** Facebook queue: one post per language. */
export const handler = socialPostWorker(
  'facebook',
  'post-to-facebook',
  facebookPoster,
  (config) => config.facebookPerSecond,
);

import { socialPostWorker } from '#functions/social-post-worker.ts';
import { xPoster } from '#shared/clients/providers.ts';

/** X queue: one post per language. */
export const handler = socialPostWorker('x', 'post-to-x', xPoster, (config) => config.xPerSecond);

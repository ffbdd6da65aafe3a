/**
 * Every Lambda Herald runs, described once. The CDK stateless stack creates one function
 * per entry and the local stack dispatches to the same handler modules, so a route or a
 * worker added here exists in both places.
 */
import type { Channel } from '#shared/domain/model.ts';

export const ROLES = ['operator', 'comms_lead', 'viewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiRoute {
  /** API Gateway HTTP API route key, e.g. "POST /incidents/{id}/broadcasts". */
  routeKey: string;
  /** Folder under functions/ holding handler.ts. */
  handler: string;
  /** Roles allowed to call the route; `public` routes need no credentials. */
  roles: readonly Role[] | 'public';
}

const everyone: readonly Role[] = ROLES;

export const API_ROUTES: readonly ApiRoute[] = [
  { routeKey: 'POST /incidents', handler: 'create-incident', roles: ['operator', 'admin'] },
  { routeKey: 'GET /incidents', handler: 'list-incidents', roles: everyone },
  { routeKey: 'GET /incidents/{id}', handler: 'get-incident', roles: everyone },
  { routeKey: 'POST /incidents/{id}/preview', handler: 'preview-broadcast', roles: ['operator', 'admin'] },
  { routeKey: 'POST /incidents/{id}/broadcasts', handler: 'create-broadcast', roles: ['operator', 'admin'] },
  { routeKey: 'GET /broadcasts/{id}', handler: 'get-broadcast', roles: everyone },
  { routeKey: 'POST /imports/{kind}', handler: 'import-records', roles: ['admin'] },
];

/** Who a message on the broadcast topic is for: the `target` message attribute, matched by filter policies. */
export type BusTarget = 'planner' | Channel;

export interface Worker {
  handler: string;
  target: BusTarget;
  /** SQS batch size for the event source. */
  batchSize: number;
  /** Seconds a received message stays invisible; must exceed the function timeout. */
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
}

export const WORKERS: readonly Worker[] = [
  {
    handler: 'plan-broadcast',
    target: 'planner',
    batchSize: 1,
    visibilityTimeoutSeconds: 900,
    maxReceiveCount: 3,
  },
  { handler: 'send-sms', target: 'sms', batchSize: 1, visibilityTimeoutSeconds: 300, maxReceiveCount: 5 },
  { handler: 'post-to-x', target: 'x', batchSize: 1, visibilityTimeoutSeconds: 60, maxReceiveCount: 5 },
  {
    handler: 'post-to-facebook',
    target: 'facebook',
    batchSize: 1,
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
  },
  {
    handler: 'publish-status',
    target: 'status',
    batchSize: 1,
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
  },
];

/** Where the handler module of a route or worker lives, relative to the repo root. */
export function handlerEntry(handler: string): string {
  return `functions/${handler}/handler.ts`;
}

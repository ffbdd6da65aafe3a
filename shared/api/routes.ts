/**
 * The HTTP API's routes and who may call each: the API handler authorizes by this table, the
 * manifest gives every route its handler (a route without one does not type-check there).
 */
import { ROLES, type Role } from '#shared/domain/roles.ts';

/** Roles allowed to call a route; `public` routes need no credentials. */
export type RouteRoles = readonly Role[] | 'public';

const everyone: readonly Role[] = ROLES;

export const ROUTE_ROLES = {
  'POST /incidents': ['operator', 'admin'],
  'GET /incidents': everyone,
  'GET /incidents/{id}': everyone,
  'POST /incidents/{id}/preview': ['operator', 'admin'],
  'POST /incidents/{id}/broadcasts': ['operator', 'admin'],
  'POST /incidents/{id}/resolve': ['operator', 'admin'],
  'GET /broadcasts/{id}': everyone,
  // What a broadcast says per channel and language, free text marked: the approver reads it first.
  'GET /broadcasts/{id}/review': everyone,
  'POST /broadcasts/{id}/cancel': ['operator', 'admin'],
  // Records name recipients (phone numbers masked): the staff following a broadcast up, not viewers.
  'GET /broadcasts/{id}/deliveries': ['operator', 'comms_lead', 'admin'],
  // Every SMS to one passenger (numbers masked): the same staff, answering a passenger's question.
  'GET /passengers': ['operator', 'comms_lead', 'admin'],
  // Proof of what each passenger was sent and when (EU 261/2004 Art. 5(4)): the staff who answer claims.
  'GET /incidents/{id}/evidence': ['operator', 'comms_lead', 'admin'],
  // Twilio calls these; the X-Twilio-Signature check in the handler stands in for credentials.
  'POST /webhooks/twilio/status': 'public',
  'POST /webhooks/twilio/inbound': 'public',
  'POST /imports/{kind}': ['admin'],
  // Templates: comms leads write them (admins too), everyone reads them; only a comms lead reviews.
  'POST /templates': ['comms_lead', 'admin'],
  'GET /templates': everyone,
  'GET /templates/{id}': everyone,
  'PUT /templates/{id}': ['comms_lead', 'admin'],
  'POST /templates/{id}/versions/{version}/submit': ['comms_lead', 'admin'],
  'POST /templates/{id}/versions/{version}/approve': ['comms_lead'],
  'POST /templates/{id}/versions/{version}/reject': ['comms_lead'],
  'POST /broadcasts/{id}/approve': ['comms_lead'],
  // The comms leads' queue (and the console's badge): broadcasts and template versions waiting.
  'GET /approvals': ['comms_lead', 'admin'],
  'GET /audit': ['admin'],
  // For the operations console: who am I, an incident's broadcasts, the airports picker.
  'GET /me': everyone,
  'GET /incidents/{id}/broadcasts': everyone,
  'GET /airports': everyone,
} as const satisfies Record<string, RouteRoles>;

/** An API Gateway HTTP API route key, e.g. "POST /incidents/{id}/broadcasts". */
export type RouteKey = keyof typeof ROUTE_ROLES;

/** The roles of `routeKey`, or undefined for a key that is no route of the API. */
export function routeRoles(routeKey: string): RouteRoles | undefined {
  return Object.hasOwn(ROUTE_ROLES, routeKey) ? ROUTE_ROLES[routeKey as RouteKey] : undefined;
}

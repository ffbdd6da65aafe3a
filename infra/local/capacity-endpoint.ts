/**
 * `GET /__herald/capacity` on the local API server: what every DynamoDB client of the stack has
 * reported on the consumed-capacity channel (`shared/adapters/consumed-capacity.ts`) since the
 * start or the last `DELETE /__herald/capacity`: this thread's (the stack itself, and functions
 * run in process) and every function instance's (forwarded by the runtime). The benchmark reads
 * it around each broadcast. Not part of the API that CDK deploys.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  CapacityAccumulator,
  type CapacityEvent,
  capacityChannel,
} from '#shared/adapters/consumed-capacity.ts';

export const CAPACITY_PATH = '/__herald/capacity';

/** The whole stack's consumed capacity; function instances' reports are added by the runtime. */
export const stackCapacity = new CapacityAccumulator();
subscribe(capacityChannel.name, (event) => stackCapacity.add(event as CapacityEvent));

/** Answers GET (the report) and DELETE (reset) on CAPACITY_PATH; `false` for any other request. */
export function serveCapacity(request: IncomingMessage, response: ServerResponse, url: URL): boolean {
  if (url.pathname !== CAPACITY_PATH) return false;
  if (request.method === 'GET') {
    response
      .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify(stackCapacity.report()));
    return true;
  }
  if (request.method === 'DELETE') {
    stackCapacity.reset();
    response.writeHead(204).end();
    return true;
  }
  return false;
}

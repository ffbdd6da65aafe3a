/**
 * `GET /__herald/capacity` on the local API server: what the DynamoDB client's accounting has
 * added up in this process (`shared/clients/consumed-capacity.ts`) since the start or the last
 * `DELETE /__herald/capacity`. The local stack runs every handler in this process, so the figures
 * are the whole stack's; the benchmark reads them around each broadcast. Not part of the API that
 * CDK deploys.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { consumedCapacity } from '#shared/clients/consumed-capacity.ts';

export const CAPACITY_PATH = '/__herald/capacity';

/** Answers GET (the report) and DELETE (reset) on CAPACITY_PATH; `false` for any other request. */
export function serveCapacity(request: IncomingMessage, response: ServerResponse, url: URL): boolean {
  if (url.pathname !== CAPACITY_PATH) return false;
  if (request.method === 'GET') {
    response
      .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify(consumedCapacity.report()));
    return true;
  }
  if (request.method === 'DELETE') {
    consumedCapacity.reset();
    response.writeHead(204).end();
    return true;
  }
  return false;
}

/** The status site's files served over HTTP as the bucket serves them, for the browser tests. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { siteFiles } from '#shared/status-site/site-files.ts';
import type { StatusDocument } from '#shared/status-site/status-document.ts';

export interface ServedSite {
  origin: string;
  close(): Promise<void>;
}

export async function serveStatusSite(document: StatusDocument): Promise<ServedSite> {
  const files = new Map(
    siteFiles(document, { siteUrl: 'https://status.airline.example' }).map((f) => [f.key, f]),
  );
  const server = createServer((request, response) => {
    const file = files.get(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname.slice(1)));
    if (!file) response.writeHead(404).end();
    else response.writeHead(200, { 'content-type': file.contentType }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

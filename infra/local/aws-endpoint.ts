/**
 * A loopback HTTP endpoint answering the two AWS calls the handlers make besides DynamoDB:
 * SNS Publish (AWS Query protocol) into the local topic, and S3 PutObject (path style) into
 * the local object store. The local stack points `AWS_ENDPOINT_URL_SNS` and
 * `AWS_ENDPOINT_URL_S3` here, so the handlers run the real SDK adapters unchanged.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalTopic, MessageAttributes } from './bus.ts';
import type { LocalObjectStore } from './object-store.ts';

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function xml(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/xml' }).end(`<?xml version="1.0"?>\n${body}`);
}

/** MessageAttributes.entry.N.{Name,Value.DataType,Value.StringValue} → attributes. */
function messageAttributes(form: URLSearchParams): MessageAttributes {
  const attributes: MessageAttributes = {};
  for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n++) {
    const name = form.get(`MessageAttributes.entry.${n}.Name`) ?? '';
    attributes[name] = {
      DataType: form.get(`MessageAttributes.entry.${n}.Value.DataType`) ?? 'String',
      StringValue: form.get(`MessageAttributes.entry.${n}.Value.StringValue`) ?? '',
    };
  }
  return attributes;
}

function handleSns(form: URLSearchParams, topics: Map<string, LocalTopic>, response: ServerResponse): void {
  const action = form.get('Action');
  const topic = topics.get(form.get('TopicArn') ?? '');
  if (action !== 'Publish' || !topic) {
    xml(
      response,
      400,
      `<ErrorResponse><Error><Type>Sender</Type><Code>${topic ? 'InvalidAction' : 'NotFound'}</Code><Message>Unsupported: ${action}</Message></Error></ErrorResponse>`,
    );
    return;
  }
  const messageId = topic.publish(form.get('Message') ?? '', messageAttributes(form));
  xml(
    response,
    200,
    `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
  );
}

export async function startAwsEndpoint(
  topics: LocalTopic[],
  buckets: Record<string, LocalObjectStore>,
): Promise<{ url: string; server: Server }> {
  const topicsByArn = new Map(topics.map((topic) => [topic.arn, topic]));
  const server = createServer(async (request, response) => {
    try {
      const body = await readBody(request);
      if (request.method === 'POST' && request.url === '/') {
        handleSns(new URLSearchParams(body.toString('utf8')), topicsByArn, response);
        return;
      }
      const [, bucketName = '', ...keyParts] = (request.url ?? '').split('?')[0]?.split('/') ?? [];
      const bucket = buckets[bucketName];
      if (request.method === 'PUT' && bucket && keyParts.length > 0) {
        const key = keyParts.map(decodeURIComponent).join('/');
        await bucket.put(key, body, request.headers['content-type'] ?? 'application/octet-stream');
        response.writeHead(200, { etag: `"${randomUUID()}"` }).end();
        return;
      }
      xml(response, 404, '<Error><Code>NoSuchResource</Code></Error>');
    } catch (error) {
      xml(response, 500, `<Error><Code>InternalError</Code><Message>${String(error)}</Message></Error>`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}

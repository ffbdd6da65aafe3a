/**
 * A loopback HTTP endpoint answering the AWS calls the handlers make besides DynamoDB:
 * SNS Publish and PublishBatch (AWS Query protocol) into the local topic, SQS
 * ChangeMessageVisibility (AWS JSON protocol) on the local queues, and S3 PutObject (path style)
 * into the local object store. The local stack points `AWS_ENDPOINT_URL_SNS`, `_SQS` and `_S3`
 * here, so the handlers run the real SDK adapters unchanged.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalQueue, LocalTopic, MessageAttributes } from './bus.ts';
import type { LocalObjectStore } from './object-store.ts';

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function xml(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/xml' }).end(`<?xml version="1.0"?>\n${body}`);
}

/** `<prefix>MessageAttributes.entry.N.{Name,Value.DataType,Value.StringValue}` → attributes. */
function messageAttributes(form: URLSearchParams, prefix = ''): MessageAttributes {
  const attributes: MessageAttributes = {};
  for (let n = 1; form.has(`${prefix}MessageAttributes.entry.${n}.Name`); n++) {
    const entry = `${prefix}MessageAttributes.entry.${n}`;
    attributes[form.get(`${entry}.Name`) ?? ''] = {
      DataType: form.get(`${entry}.Value.DataType`) ?? 'String',
      StringValue: form.get(`${entry}.Value.StringValue`) ?? '',
    };
  }
  return attributes;
}

const SNS_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';
/** SNS refuses a PublishBatch of more entries than this. */
const PUBLISH_BATCH_LIMIT = 10;

function snsError(response: ServerResponse, code: string, message: string): void {
  xml(
    response,
    400,
    `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error></ErrorResponse>`,
  );
}

function snsResult(response: ServerResponse, action: string, result: string): void {
  xml(
    response,
    200,
    `<${action}Response xmlns="${SNS_NAMESPACE}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
  );
}

/** What SNS accepts as a batch entry's Id (so it can be echoed in the answer as it is). */
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

/** Why SNS would refuse the whole batch, or undefined. */
function batchRefusal(ids: string[]): [code: string, message: string] | undefined {
  if (ids.length === 0) return ['EmptyBatchRequest', 'No entries'];
  if (ids.length > PUBLISH_BATCH_LIMIT)
    return ['TooManyEntriesInBatchRequest', `More than ${PUBLISH_BATCH_LIMIT} entries`];
  if (!ids.every((id) => BATCH_ENTRY_ID.test(id))) return ['InvalidBatchEntryId', 'An entry Id is malformed'];
  if (new Set(ids).size < ids.length) return ['BatchEntryIdsNotDistinct', 'Two entries share an Id'];
  return undefined;
}

/** PublishBatchRequestEntries.member.N: each entry published in order, as SNS would, answered together. */
function publishBatch(form: URLSearchParams, topic: LocalTopic, response: ServerResponse): void {
  const prefixes: string[] = [];
  for (let n = 1; form.has(`PublishBatchRequestEntries.member.${n}.Id`); n++)
    prefixes.push(`PublishBatchRequestEntries.member.${n}.`);
  const ids = prefixes.map((prefix) => form.get(`${prefix}Id`) ?? '');
  const refusal = batchRefusal(ids);
  if (refusal) {
    snsError(response, ...refusal);
    return;
  }
  const successful = prefixes.map((prefix, index) => {
    const messageId = topic.publish(form.get(`${prefix}Message`) ?? '', messageAttributes(form, prefix));
    return `<member><Id>${ids[index]}</Id><MessageId>${messageId}</MessageId></member>`;
  });
  snsResult(response, 'PublishBatch', `<Successful>${successful.join('')}</Successful><Failed/>`);
}

function handleSns(form: URLSearchParams, topics: Map<string, LocalTopic>, response: ServerResponse): void {
  const action = form.get('Action');
  const topic = topics.get(form.get('TopicArn') ?? '');
  if (!topic) {
    snsError(response, 'NotFound', 'No such topic');
  } else if (action === 'Publish') {
    const messageId = topic.publish(form.get('Message') ?? '', messageAttributes(form));
    snsResult(response, 'Publish', `<MessageId>${messageId}</MessageId>`);
  } else if (action === 'PublishBatch') {
    publishBatch(form, topic, response);
  } else {
    snsError(response, 'InvalidAction', 'Unsupported action');
  }
}

function sqsError(response: ServerResponse, code: string, message: string): void {
  response
    .writeHead(400, {
      'content-type': 'application/x-amz-json-1.0',
      // SQS answers its old Query error codes here too, and the SDK reads them.
      'x-amzn-query-error': `${code};Sender`,
    })
    .end(JSON.stringify({ __type: `com.amazonaws.sqs#${code}`, message }));
}

/** The one SQS action the handlers call: a failed message returns after its backoff, not its visibility timeout. */
function handleSqs(
  action: string,
  input: { QueueUrl?: string; ReceiptHandle?: string; VisibilityTimeout?: number },
  queues: Map<string, LocalQueue>,
  response: ServerResponse,
): void {
  const queue = queues.get(input.QueueUrl?.split('/').at(-1) ?? '');
  if (action !== 'ChangeMessageVisibility') {
    sqsError(response, 'UnsupportedOperation', `Unsupported action ${action}`);
  } else if (!queue) {
    sqsError(response, 'QueueDoesNotExist', 'No such queue');
  } else if (!queue.changeVisibility(input.ReceiptHandle ?? '', input.VisibilityTimeout ?? 0)) {
    sqsError(response, 'ReceiptHandleIsInvalid', 'The receipt handle is not the latest receive');
  } else {
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}');
  }
}

const SQS_TARGET_PREFIX = 'AmazonSQS.';

export async function startAwsEndpoint(
  topics: LocalTopic[],
  queues: LocalQueue[],
  buckets: Record<string, LocalObjectStore>,
): Promise<{ url: string; server: Server }> {
  const topicsByArn = new Map(topics.map((topic) => [topic.arn, topic]));
  const queuesByName = new Map(queues.map((queue) => [queue.options.name, queue]));
  const server = createServer(async (request, response) => {
    try {
      const body = await readBody(request);
      const target = request.headers['x-amz-target'];
      if (request.method === 'POST' && typeof target === 'string' && target.startsWith(SQS_TARGET_PREFIX)) {
        handleSqs(
          target.slice(SQS_TARGET_PREFIX.length),
          JSON.parse(body.toString('utf8')),
          queuesByName,
          response,
        );
        return;
      }
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

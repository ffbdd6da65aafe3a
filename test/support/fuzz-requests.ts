/**
 * fast-check arbitraries of HTTP requests to Herald's API, as an attacker or a careless client
 * sends them: every route of the manifest, real and forged credentials, ids that exist and
 * hostile ones, plausible bodies with hostile values spliced in, malformed JSON, odd encodings
 * and headers. A request is generated as a description and made concrete only when sent, so ids
 * created during the run (a new incident) can be picked by later requests.
 */
import fc from 'fast-check';
import { API_ROUTES, type ApiRoute } from '#functions/manifest.ts';
import { BROADCAST_KINDS, CHANNELS, INCIDENT_TYPES, SEVERITIES } from '#shared/domain/model.ts';
import { ROLES } from '#shared/domain/roles.ts';

/** Strings that have broken parsers, stores and renderers somewhere. */
const NOTORIOUS = [
  '',
  ' ',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '..',
  '../../etc/passwd',
  '\u0000',
  '\u0008\u000B',
  '\uFFFE\uFFFF',
  '\uD800',
  '\uDC00x',
  '😀'.repeat(60),
  '\u202Eevil',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '{{incident.title}}',
  '{{#vars}}{{/vars}}',
  '{{> partial}}',
  '#{7*7} {{7*7}}',
  'NaN',
  '-1',
  '0',
  '1e309',
  '9'.repeat(40),
  'x'.repeat(129),
  'x'.repeat(2_100),
  'y'.repeat(70_000),
  'Call +358401234567',
  'aino@example.com',
  'ABC123',
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NOTORIOUS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
);

const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      null,
      true,
      -1,
      0,
      1.5,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      [],
      {},
      JSON.parse('{"__proto__":{"admin":true},"constructor":{"prototype":{}}}'),
      Array.from({ length: 2_000 }, () => 'HEL'),
    ),
  },
);

/** Where a path parameter comes from: an id that exists (picked when sent), or a hostile one. */
export type IdChoice =
  | { kind: 'known'; index: number }
  | { kind: 'hostile'; value: string }
  | { kind: 'raw'; segment: string };

const idChoice: fc.Arbitrary<IdChoice> = fc.oneof(
  { weight: 4, arbitrary: fc.nat().map((index) => ({ kind: 'known' as const, index })) },
  { weight: 3, arbitrary: hostileString.map((value) => ({ kind: 'hostile' as const, value })) },
  {
    weight: 1,
    // Sent as they are: bad %-encoding, encoded slashes and dots, NUL.
    arbitrary: fc
      .constantFrom('%ZZ', '%', '%E0%A4%A', '%2F', '%2e%2e', '%00', '%C0%AE', '%uD800', '%FF%FE')
      .map((segment) => ({ kind: 'raw' as const, segment })),
  },
);

/** Who the request claims to be: a role the route allows (picked when sent), any role, nobody, or a forgery. */
export type Credential =
  | { kind: 'permitted'; index: number }
  | { kind: 'role'; role: (typeof ROLES)[number] }
  | { kind: 'none' }
  | { kind: 'header'; value: string };

/** Header values fetch can send: printable Latin-1 without CR or LF. */
const headerValue = fc.oneof(
  fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((value) => value.replace(/[^\x20-\x7E]/g, '')),
  fc.constantFrom('x'.repeat(129), 'x'.repeat(5_000), '', '   ', 'null', '../', '%00'),
);

const credential: fc.Arbitrary<Credential> = fc.oneof(
  { weight: 8, arbitrary: fc.nat().map((index) => ({ kind: 'permitted' as const, index })) },
  { weight: 3, arbitrary: fc.constantFrom(...ROLES).map((role) => ({ kind: 'role' as const, role })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        headerValue.map((value) => `Bearer ${value}`),
        fc.constantFrom('Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', 'bearer hk_admin_x', 'Bearer hk_test'),
      )
      .map((value) => ({ kind: 'header' as const, value })),
  },
);

/** How the body goes on the wire. */
export type Body =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string; contentType: string }
  | { kind: 'bytes'; bytes: Uint8Array; contentType: string }
  | { kind: 'form'; params: Record<string, string>; signed: boolean };

const window = fc
  .record({ startHours: fc.integer({ min: -48, max: 48 }), lengthHours: fc.integer({ min: -2, max: 400 }) })
  .map(({ startHours, lengthHours }) => {
    const start = Date.now() + startHours * 3_600_000;
    return {
      start: new Date(start).toISOString().replace('Z', '+00:00'),
      end: new Date(start + lengthHours * 3_600_000).toISOString().replace('Z', '+00:00'),
    };
  });

const incidentBody = fc.record({
  type: fc.constantFrom(...INCIDENT_TYPES),
  title: fc.oneof(fc.constant('Strike at Helsinki'), hostileString),
  severity: fc.constantFrom(...SEVERITIES),
  window,
  scope: fc.oneof(
    fc.constant({ airports: ['HEL'] }),
    fc.record({ airports: fc.array(fc.constantFrom('HEL', 'ARN', 'OSL', 'XXX', 'hel'), { maxLength: 4 }) }),
    fc.constant({ carriers: ['AY'] }),
    fc.constant({ flights: [{ flightNumber: 'AY123', date: '2026-11-23' }] }),
    fc.constant({
      area: {
        type: 'Polygon',
        coordinates: [
          [
            [24, 60],
            [26, 60],
            [26, 61],
            [24, 60],
          ],
        ],
      },
      includeOverflights: true,
    }),
  ),
});

const broadcastBody = fc.record(
  {
    templateId: fc.oneof(fc.constantFrom('strike-disruption', 'ash-cloud-closure'), hostileString),
    templateVersion: fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, fc.integer({ min: -2, max: 3 })),
    variables: fc.oneof(
      { weight: 3, arbitrary: fc.constant({}) },
      fc.record({ note: fc.oneof(fc.constant('Buses replace flights'), hostileString) }),
      fc.record({ reopenEstimate: fc.oneof(fc.constant('18:00'), hostileString) }),
      fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
    ),
    channels: fc.oneof(
      { weight: 4, arbitrary: fc.subarray([...CHANNELS], { minLength: 1 }) },
      fc.constant([]),
    ),
    kind: fc.constantFrom(...BROADCAST_KINDS),
  },
  { requiredKeys: ['templateId', 'channels'] },
);

const templateText = fc.oneof(
  fc.constant('Flights at {{incident.airports}} are disrupted.'),
  fc.constant('Hi {{customer.firstName}}, flight {{flight.number}} is cancelled.'),
  hostileString,
);
const templateContent = fc.record({
  sms: templateText,
  social: templateText,
  statusTitle: templateText,
  statusBody: templateText,
});
const templateBody = fc.record(
  {
    id: fc.oneof(fc.constantFrom('fuzz-template', 'strike-disruption'), hostileString),
    name: fc.oneof(fc.constant('Fuzz'), hostileString),
    content: fc.record(
      { en: templateContent, fi: templateContent, sv: templateContent },
      { requiredKeys: [] },
    ),
    allowedVariables: fc.array(hostileString, { maxLength: 3 }),
    freeTextVariables: fc.array(hostileString, { maxLength: 3 }),
    maxVariableLength: fc.integer({ min: -5, max: 10_000 }),
    allowThread: fc.boolean(),
    smsSegmentBudget: fc.integer({ min: -1, max: 20 }),
  },
  { requiredKeys: [] },
);

const importBody = fc.record({
  firstLine: fc.integer({ min: -1, max: 5 }),
  lines: fc.array(
    fc.oneof(
      hostileString,
      fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
      fc.constant(
        '{"customerId":"FUZZ1","firstName":"Aino","lastName":"V","phone":"+358401234567","language":"fi","smsConsent":true}',
      ),
    ),
    { maxLength: 5 },
  ),
});

/** Bodies that get past the schema often enough to reach the use cases, per route. */
function plausibleBody(route: ApiRoute): fc.Arbitrary<unknown> {
  switch (route.handler) {
    case 'create-incident':
      return incidentBody;
    case 'preview-broadcast':
    case 'create-broadcast':
      return broadcastBody;
    case 'create-template':
    case 'update-template':
      return templateBody;
    case 'reject-template':
      return fc.record({ reason: hostileString });
    case 'import-records':
      return importBody;
    default:
      return fc.constant({});
  }
}

/** A plausible body with one field's value replaced by something hostile. */
function spliced(route: ApiRoute): fc.Arbitrary<unknown> {
  return fc.tuple(plausibleBody(route), hostileString, hostileJson).map(([body, key, value]) => {
    if (body === null || typeof body !== 'object') return value;
    const fields = Object.keys(body);
    const target = fields.length > 0 && key.length % 2 === 0 ? fields[key.length % fields.length] : key;
    return { ...body, [target ?? key]: value };
  });
}

const twilioParams = fc.record(
  {
    MessageSid: fc.oneof(fc.constant('SM00000000000000000000000000000fuzz'), hostileString),
    MessageStatus: fc.oneof(
      fc.constantFrom('delivered', 'undelivered', 'failed', 'sent', '__proto__'),
      hostileString,
    ),
    From: fc.oneof(
      fc.constant('+358401234567'),
      fc.constantFrom('', ' ', '+', '358401234567'),
      hostileString,
    ),
    Body: fc.oneof(fc.constantFrom('STOP', 'START', 'HELP', 'stop please'), hostileString),
    ErrorCode: fc.oneof(fc.constantFrom('21610', '30003'), hostileString),
  },
  { requiredKeys: [] },
);

function body(route: ApiRoute, method: string): fc.Arbitrary<Body> {
  if (method === 'GET') return fc.constant({ kind: 'none' as const });
  const json = fc.oneof(
    { weight: 6, arbitrary: plausibleBody(route) },
    { weight: 3, arbitrary: spliced(route) },
    { weight: 1, arbitrary: hostileJson },
  );
  const text = fc.record({
    text: fc.oneof(
      fc.constantFrom('{', '{"templateId":', '[1,2', 'null', '"', '\uFEFF{}', '{"a":1}{"b":2}', 'undefined'),
      fc.string({ unit: 'binary', maxLength: 80 }),
      json.map((value) => JSON.stringify(value).slice(0, -1)),
    ),
    contentType: fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-16'),
  });
  const bytes = fc.record({
    bytes: fc.uint8Array({ maxLength: 200 }),
    contentType: fc.constantFrom(
      'application/json',
      'application/octet-stream',
      'multipart/form-data; boundary=x',
    ),
  });
  const arbitraries: fc.WeightedArbitrary<Body>[] = [
    { weight: 8, arbitrary: json.map((value) => ({ kind: 'json' as const, value })) },
    { weight: 2, arbitrary: text.map((sent) => ({ kind: 'text' as const, ...sent })) },
    { weight: 1, arbitrary: bytes.map((sent) => ({ kind: 'bytes' as const, ...sent })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  ];
  if (route.roles === 'public')
    arbitraries.push({
      weight: 12,
      arbitrary: fc
        .record({ params: twilioParams, signed: fc.boolean() })
        .map((form) => ({ kind: 'form' as const, ...form })),
    });
  return fc.oneof(...arbitraries);
}

export interface FuzzRequest {
  route: ApiRoute;
  /** The route's method, or now and then another one. */
  method: string;
  pathParameters: Record<string, IdChoice>;
  query: [string, string][];
  credential: Credential;
  idempotencyKey?: string;
  extraHeaders: [string, string][];
  body: Body;
}

const queryEntries = fc.array(
  fc.tuple(
    fc.oneof(
      fc.constantFrom('limit', 'next', 'status', 'q', 'from', 'before', 'broadcastId', 'customerId'),
      hostileString,
    ),
    hostileString,
  ),
  { maxLength: 3 },
);

const extraHeaders = fc.array(
  fc.tuple(
    fc.constantFrom(
      'accept',
      'accept-encoding',
      'content-encoding',
      'x-forwarded-for',
      'origin',
      'x-amz-date',
      'cookie',
    ),
    headerValue,
  ),
  { maxLength: 3 },
);

function requestTo(route: ApiRoute): fc.Arbitrary<FuzzRequest> {
  const [routeMethod = 'GET', path = ''] = route.routeKey.split(' ');
  const parameterNames = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
  const method = fc.oneof(
    { weight: 12, arbitrary: fc.constant(routeMethod) },
    { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH') },
  );
  return method.chain((chosen) =>
    fc.record(
      {
        route: fc.constant(route),
        method: fc.constant(chosen),
        pathParameters: fc.record(Object.fromEntries(parameterNames.map((name) => [name, idChoice]))),
        query: queryEntries,
        credential,
        idempotencyKey: headerValue,
        extraHeaders,
        body: body(route, chosen),
      },
      { requiredKeys: ['route', 'method', 'pathParameters', 'query', 'credential', 'extraHeaders', 'body'] },
    ),
  );
}

/** A request to any route of the manifest, each route as likely as another. */
export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(...API_ROUTES.map(requestTo));

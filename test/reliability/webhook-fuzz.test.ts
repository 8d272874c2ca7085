// Property-based fuzzing (fast-check) of both webhook endpoints over real HTTP, against the real Temporal
// server: arbitrary JSON, mutations of valid envelopes (wrong types, missing fields, huge strings, nested
// junk), wrong or missing secrets, malformed JSON, wrong content types and oversized bodies. The API must
// never answer 5xx; it refuses (400, naming the field) only a body whose envelope it cannot route on, and
// accepts everything else whatever the events or optional fields hold; no secret may reach any log line.
// Deleting or retyping each required field is a 400 naming exactly that path, every case of every
// property is counted, and the counts are asserted: with RELIABILITY_FAULTS=off the fuzzer sends its
// inputs unmutated (valid bodies, the right secret, normal sizes) and every test here fails on them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  FRESHSERVICE_WEBHOOK_EVENTS,
  FRESHSERVICE_WEBHOOK_SECRET_HEADER,
} from '../../src/integrations/freshservice/webhook-template';
import { parseTicketId } from '../../src/workflows/ticket-router/contract';
import { TEST_SECRETS } from '../helpers/api';
import { startCapturingApi, type CapturingApi } from '../helpers/api-capture';
import { testEnv, uniqueId } from '../helpers/temporal';
import { FAULTS_OFF, reportCoverage, SLOW } from './harness';

const RUNS = SLOW ? 5000 : 600;
const MAX_BODY = 256 * 1024;
const ALLOWED = new Set([200, 400, 401, 413, 415]);
const PRESENTED_SECRET_PREFIX = 'fz-secret-';

type Endpoint = 'okta' | 'freshservice';
const ENDPOINTS: Endpoint[] = ['okta', 'freshservice'];

const validHeaders = (e: Endpoint): Record<string, string> =>
  e === 'okta'
    ? { authorization: TEST_SECRETS.OKTA_WEBHOOK_SECRET }
    : { [FRESHSERVICE_WEBHOOK_SECRET_HEADER]: TEST_SECRETS.FRESHSERVICE_WEBHOOK_SECRET };

// Ids of this run only: a valid fuzzed body starts a workflow on a task queue no worker polls.
const run = uniqueId('fuzz');
let nextTicket = 800_000_000 + Math.floor(Math.random() * 90_000_000);

function validBody(e: Endpoint): Record<string, unknown> {
  if (e === 'okta') {
    const requestId = `${run}-${++nextTicket}`;
    return {
      eventType: 'com.okta.event_hook',
      eventTypeVersion: '1.0',
      eventId: `evt-${nextTicket}`,
      data: {
        events: [
          {
            uuid: `uuid-${nextTicket}`,
            eventType: 'access.request.create',
            published: '2030-01-01T10:00:00.000Z',
            target: [{ id: requestId, type: 'AccessRequest', displayName: 'Salesforce' }],
            debugContext: { debugData: { accessRequestId: requestId } },
          },
        ],
      },
    };
  }
  return {
    event: 'ticket_updated',
    ticket_id: String(++nextTicket),
    ticket_type: 'Service Request',
    status: 'Open',
    approval_status: '{{ticket.approval_status}}',
    requester_email: 'ada.lovelace@acme.example',
    updated_at: '2030-01-01T10:00:00Z',
  };
}

const OKTA_PATHS = [
  ['eventType'],
  ['eventId'],
  ['data'],
  ['data', 'events'],
  ['data', 'events', '0'],
  ['data', 'events', '0', 'uuid'],
  ['data', 'events', '0', 'eventType'],
  ['data', 'events', '0', 'published'],
  ['data', 'events', '0', 'target'],
  ['data', 'events', '0', 'target', '0'],
  ['data', 'events', '0', 'target', '0', 'id'],
  ['data', 'events', '0', 'target', '0', 'type'],
  ['data', 'events', '0', 'debugContext'],
  ['data', 'events', '0', 'debugContext', 'debugData'],
];
const FS_PATHS = [
  ['event'],
  ['ticket_id'],
  ['updated_at'],
  ['ticket_type'],
  ['status'],
  ['approval_status'],
  ['requester_email'],
];

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** The fields an envelope cannot be routed without, each with values of the wrong type or shape. */
type RequiredField = { endpoint: Endpoint; path: string[]; wrong: fc.Arbitrary<unknown> };
const DELETE = Symbol('delete');
const scalarsBut = (keep: (v: unknown) => boolean) =>
  fc
    .oneof(
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.string({ maxLength: 20 }),
      fc.array(fc.integer(), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 6 }), fc.integer(), { maxKeys: 2 }),
    )
    // Judged as the server parses it (JSON has no NaN or Infinity).
    .filter((v) => !keep(JSON.parse(JSON.stringify(v)) as unknown));
const REQUIRED: RequiredField[] = [
  { endpoint: 'okta', path: ['eventType'], wrong: scalarsBut((v) => v === 'com.okta.event_hook') },
  { endpoint: 'okta', path: ['data'], wrong: scalarsBut((v) => isRecord(v)) },
  { endpoint: 'okta', path: ['data', 'events'], wrong: scalarsBut((v) => Array.isArray(v)) },
  { endpoint: 'freshservice', path: ['event'], wrong: scalarsBut((v) => typeof v === 'string' && v !== '') },
  {
    endpoint: 'freshservice',
    path: ['ticket_id'],
    wrong: fc
      .oneof(
        scalarsBut(() => false),
        fc.constantFrom('SR-', '#', 'SR-x', '0', '-1', 0, -7, 1.5),
      )
      .filter((v) => !((typeof v === 'number' || typeof v === 'string') && parseTicketId(v) !== undefined)),
  },
];

/** Fields a delivery may carry in any shape or not at all: touching them alone never refuses it. */
const OPTIONAL: Record<Endpoint, string[][]> = {
  okta: [['eventId'], ['eventTypeVersion'], ...OKTA_PATHS.filter((p) => p.length > 3)],
  freshservice: [['updated_at'], ['ticket_type'], ['status'], ['approval_status'], ['requester_email']],
};

/**
 * The rule under test: the field a 400 must name when the envelope is unusable, undefined when the body
 * must be accepted (200). Okta: the `com.okta.event_hook` envelope with a `data.events` list; the events
 * themselves never refuse a delivery. Freshservice: an `event` string, and for a routed event a ticket id.
 */
function refusedField(e: Endpoint, body: unknown): string | undefined {
  if (!isRecord(body)) return '(body)';
  if (e === 'okta') {
    if (body.eventType !== 'com.okta.event_hook') return 'eventType';
    if (!isRecord(body.data)) return 'data';
    return Array.isArray(body.data.events) ? undefined : 'data.events';
  }
  if (typeof body.event !== 'string' || body.event.length === 0) return 'event';
  if (!(FRESHSERVICE_WEBHOOK_EVENTS as readonly string[]).includes(body.event)) return undefined;
  const id = body.ticket_id;
  return (typeof id === 'number' || typeof id === 'string') && parseTicketId(id) !== undefined
    ? undefined
    : 'ticket_id';
}

type Mutation =
  | { kind: 'set'; value: unknown }
  | { kind: 'delete' }
  | { kind: 'huge'; length: number }
  | { kind: 'junk'; value: unknown };

const junk = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 1 }),
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('node'), { maxKeys: 3 }),
  ),
})).node;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    value: fc.oneof(
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.string({ maxLength: 40 }),
      fc.constantFrom('', ' ', '{{ticket.id}}', 'SR-', '-1', '1e309', '__proto__', '\u0000'),
      fc.array(fc.integer(), { maxLength: 3 }),
    ),
  }),
  fc.record({ kind: fc.constant('delete' as const) }),
  fc.record({ kind: fc.constant('huge' as const), length: fc.integer({ min: 1_000, max: 300_000 }) }),
  fc.record({ kind: fc.constant('junk' as const), value: junk }),
);

function applyMutation(body: Record<string, unknown>, path: string[], m: Mutation): Record<string, unknown> {
  // The fault switched off: the envelope goes out as it was built.
  if (FAULTS_OFF) return body;
  let node: unknown = body;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return body;
    node = (node as Record<string, unknown>)[key];
  }
  if (node === null || typeof node !== 'object') return body;
  const target = node as Record<string, unknown>;
  const last = path[path.length - 1]!;
  if (m.kind === 'delete') delete target[last];
  else if (m.kind === 'huge') target[last] = 'x'.repeat(m.length);
  else target[last] = m.value;
  return body;
}

describe('reliability: webhook endpoints under property-based fuzzing', () => {
  let api: CapturingApi;
  const statuses: Record<number, number> = {};
  const presentedSecrets = new Set<string>();
  let cases = 0;
  /** Per property, how its cases were answered (`400:<field>` for a refusal), asserted by each test. */
  const outcomes: Record<string, Record<string, number>> = {};
  function count(property: string, r: Awaited<ReturnType<typeof send>>): void {
    const key = r.status === 400 ? `400:${String(r.json?.error?.field)}` : String(r.status);
    const o = (outcomes[property] ??= {});
    o[key] = (o[key] ?? 0) + 1;
  }
  const total = (property: string, keys?: (k: string) => boolean) =>
    Object.entries(outcomes[property] ?? {})
      .filter(([k]) => keys?.(k) ?? true)
      .reduce((n, [, v]) => n + v, 0);

  before(async () => {
    const env = await testEnv();
    api = await startCapturingApi(env.address, { TEMPORAL_TASK_QUEUE: `${run}-tq` });
  });
  after(async () => {
    await api.close();
    // Fuzzed valid bodies started workflows on a task queue no worker polls; end them.
    try {
      const { client } = await testEnv();
      for await (const wf of client.workflow.list({ query: `TaskQueue = "${run}-tq"` })) {
        await client.workflow
          .getHandle(wf.workflowId)
          .terminate('webhook fuzz cleanup')
          .catch(() => undefined);
      }
    } catch {
      // Visibility may lag; the workflows are inert without a worker.
    }
    reportCoverage('webhook-fuzz', {
      fuzzCases: cases,
      statuses: JSON.stringify(statuses),
      outcomes: JSON.stringify(outcomes),
      logLines: api.lines.length,
      presentedSecrets: presentedSecrets.size,
    });
  });

  async function send(
    endpoint: Endpoint,
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<{ status: number; json: { error?: { field?: unknown; code?: unknown } } | undefined }> {
    cases += 1;
    const res = await fetch(`${api.url}/webhooks/${endpoint}`, { method: 'POST', headers, body });
    const text = await res.text();
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    let json: { error?: { field?: unknown } } | undefined;
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      json = undefined;
    }
    return { status: res.status, json };
  }

  function check(r: Awaited<ReturnType<typeof send>>, allowed: number[] = [...ALLOWED]): void {
    assert.ok(r.status < 500, `never a 5xx (got ${r.status}: ${JSON.stringify(r.json)})`);
    assert.ok(allowed.includes(r.status), `status ${r.status} not in ${allowed.join('/')}`);
    if (r.status === 400) {
      assert.equal(typeof r.json?.error?.field, 'string', `a 400 names the field: ${JSON.stringify(r.json)}`);
      assert.ok((r.json!.error!.field as string).length > 0);
    }
  }

  const json = (e: Endpoint) => ({ 'content-type': 'application/json', ...validHeaders(e) });

  /** A 200, or a 400 naming exactly the field the rule says makes the envelope unusable. */
  function checkRule(e: Endpoint, parsed: unknown, r: Awaited<ReturnType<typeof send>>): void {
    const field = refusedField(e, parsed);
    check(r, [field === undefined ? 200 : 400]);
    if (field !== undefined) assert.equal(r.json?.error?.field, field, JSON.stringify(r.json));
  }

  it('given arbitrary JSON bodies with the right secret, when posted, then only an unusable envelope is refused, with a 400 naming its field', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ENDPOINTS), fc.jsonValue({ maxDepth: 4 }), async (e, value) => {
        const text = JSON.stringify(FAULTS_OFF ? validBody(e) : value);
        const r = await send(e, text, json(e));
        count('arbitrary', r);
        checkRule(e, JSON.parse(text), r);
      }),
      { numRuns: RUNS },
    );
    // Arbitrary JSON is almost never a usable envelope: most of it must have been refused.
    assert.equal(total('arbitrary'), RUNS);
    assert.ok(
      total('arbitrary', (k) => k.startsWith('400:')) >= RUNS / 2,
      JSON.stringify(outcomes.arbitrary),
    );
  });

  it('given a valid envelope with one required field deleted or of the wrong type, when posted, then it is a 400 naming exactly that field', async () => {
    const perField = Math.ceil(RUNS / 6);
    for (const f of REQUIRED) {
      const field = f.path.join('.');
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.constant(DELETE), f.wrong), async (wrong) => {
          const m: Mutation = wrong === DELETE ? { kind: 'delete' } : { kind: 'set', value: wrong };
          const text = JSON.stringify(applyMutation(validBody(f.endpoint), f.path, m));
          const r = await send(f.endpoint, text, json(f.endpoint));
          count(`required:${f.endpoint}:${field}`, r);
          check(r, [400]);
          assert.equal(r.json?.error?.field, field, `${JSON.stringify(r.json)} for ${text.slice(0, 200)}`);
        }),
        { numRuns: perField },
      );
      assert.deepEqual(
        outcomes[`required:${f.endpoint}:${field}`],
        { [`400:${field}`]: perField },
        `every case refused naming ${field}`,
      );
    }
  });

  it('given a valid envelope with one optional field deleted, retyped or filled with junk, when posted, then it is accepted', async () => {
    // Every accepted body starts a workflow (ended in `after`): a quarter of the runs keeps that bounded.
    const runs = Math.ceil(RUNS / 4);
    let changed = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ENDPOINTS), fc.nat(), mutation, async (e, pick, m) => {
        const path = OPTIONAL[e][pick % OPTIONAL[e].length]!;
        const body = validBody(e);
        const before = JSON.stringify(body);
        const text = JSON.stringify(applyMutation(body, path, m));
        if (text !== before) changed += 1;
        const r = await send(e, text, json(e));
        count('optional', r);
        check(r, Buffer.byteLength(text) > MAX_BODY ? [413] : [200]);
      }),
      { numRuns: runs },
    );
    assert.equal(total('optional'), runs);
    assert.equal(
      total('optional', (k) => k === '200' || k === '413'),
      runs,
    );
    // Setting a field to the value it had is possible, but most cases must really have changed the body.
    assert.ok(changed >= runs / 2, `only ${changed} of ${runs} bodies were changed`);
  });

  it('given mutations of valid envelopes, when posted, then odd events and optional fields are accepted and only an unusable envelope is a 400 naming its field', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENDPOINTS),
        fc.nat(),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        async (e, pick, mutations) => {
          const paths = e === 'okta' ? OKTA_PATHS : FS_PATHS;
          let body = validBody(e);
          for (const [i, m] of mutations.entries())
            body = applyMutation(body, paths[(pick + i) % paths.length]!, m);
          const text = JSON.stringify(body);
          const r = await send(e, text, json(e));
          count('mutations', r);
          if (Buffer.byteLength(text) > MAX_BODY) check(r, [413]);
          // Judged on what the server parses: JSON has no NaN, Infinity or undefined.
          else checkRule(e, JSON.parse(text), r);
        },
      ),
      { numRuns: RUNS },
    );
    // A third of the paths are required ones: refusals and acceptances must both have been seen.
    const refused = total('mutations', (k) => k.startsWith('400:'));
    assert.equal(total('mutations'), RUNS);
    assert.ok(refused >= RUNS / 20, `refused ${refused}: ${JSON.stringify(outcomes.mutations)}`);
    assert.ok((outcomes.mutations?.['200'] ?? 0) >= RUNS / 20, JSON.stringify(outcomes.mutations));
  });

  it('given wrong or missing secrets, when a valid body is posted, then it is refused with a 401', async () => {
    const presented = fc.string({ minLength: 1, maxLength: 30 }).map((s) => `${PRESENTED_SECRET_PREFIX}${s}`);
    const auth = fc.oneof(
      fc.constant<Record<string, string>>({}),
      presented.map((s) => ({ authorization: s })),
      presented.map((s) => ({ authorization: `Basic ${Buffer.from(`user:${s}`).toString('base64')}` })),
      presented.map((s) => ({ [FRESHSERVICE_WEBHOOK_SECRET_HEADER]: s })),
      // The other endpoint's secret is a wrong secret here.
      fc.constant<Record<string, string>>({ authorization: TEST_SECRETS.FRESHSERVICE_WEBHOOK_SECRET }),
      fc.constant<Record<string, string>>({
        [FRESHSERVICE_WEBHOOK_SECRET_HEADER]: TEST_SECRETS.OKTA_WEBHOOK_SECRET,
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ENDPOINTS), auth, async (e, fuzzed) => {
        const headers = FAULTS_OFF ? validHeaders(e) : fuzzed;
        if (!FAULTS_OFF) for (const v of Object.values(headers)) presentedSecrets.add(v);
        // Header values must be ByteStrings; fast-check strings may not be.
        const safe = Object.fromEntries(
          Object.entries(headers).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('latin1')]),
        );
        const r = await send(e, JSON.stringify(validBody(e)), {
          'content-type': 'application/json',
          ...safe,
        });
        count('secrets', r);
        check(r, [401]);
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
    assert.deepEqual(outcomes.secrets, { 401: Math.ceil(RUNS / 2) });
  });

  it('given malformed JSON or a wrong content type, when posted, then it is a 400 naming the body or a 415', async () => {
    const malformed = fc.string({ maxLength: 200 }).filter((s) => {
      try {
        const v: unknown = JSON.parse(s);
        return v === null || typeof v !== 'object';
      } catch {
        return true;
      }
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENDPOINTS),
        malformed,
        fc.constantFrom(
          'application/json',
          'application/json; charset=utf-8',
          'text/plain',
          'application/xml',
          '',
        ),
        async (e, fuzzedBody, fuzzedType) => {
          const [body, type] = FAULTS_OFF
            ? [JSON.stringify(validBody(e)), 'application/json']
            : [fuzzedBody, fuzzedType];
          const headers: Record<string, string> = {
            ...validHeaders(e),
            ...(type ? { 'content-type': type } : {}),
          };
          const r = await send(e, body, headers);
          count('malformed', r);
          check(r, body.length === 0 ? [400, 415] : type.startsWith('application/json') ? [400] : [415]);
        },
      ),
      { numRuns: Math.ceil(RUNS / 2) },
    );
    assert.equal(
      total('malformed', (k) => k.startsWith('400:') || k === '415'),
      Math.ceil(RUNS / 2),
      JSON.stringify(outcomes.malformed),
    );
  });

  it('given oversized bodies, when posted, then they are refused with a 413', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENDPOINTS),
        fc.integer({ min: MAX_BODY + 1, max: 2 * 1024 * 1024 }),
        async (e, size) => {
          const body = JSON.stringify({ ...validBody(e), padding: 'p'.repeat(FAULTS_OFF ? 1 : size) });
          const r = await send(e, body, json(e));
          count('oversized', r);
          check(r, [413]);
        },
      ),
      { numRuns: SLOW ? 60 : 10 },
    );
    assert.deepEqual(outcomes.oversized, { 413: SLOW ? 60 : 10 });
  });

  it('given everything the fuzzer sent, when the logs are read, then no secret appears in any line', () => {
    assert.ok(api.lines.length > cases / 2, `the API logged the requests (${api.lines.length} lines)`);
    assert.ok(presentedSecrets.size >= RUNS / 10, `wrong secrets presented: ${presentedSecrets.size}`);
    const secrets = [
      ...Object.values(TEST_SECRETS),
      ...[...presentedSecrets].filter((s) => s.length >= PRESENTED_SECRET_PREFIX.length + 4),
    ];
    for (const line of api.lines) {
      for (const s of secrets)
        assert.ok(!line.includes(s), `a secret reached the log: ${line.slice(0, 300)}`);
    }
  });
});

// System Log rows as Okta writes them (LogEvent, API-CONTRACTS.md §5) and the /api/v1/logs query over them:
// since/until/filter/q/limit/sortOrder with `after` cursors, including the polling rule (ASCENDING with no
// `until` always hands back a `next` link, even on an empty page).
import { uuid } from './ids';
import { OktaApiError, oktaErrors } from './errors';
import { evaluateScim, parseScimFilter, ScimFilterError, type ScimNode } from './scim-filter';
import type { LogActor, LogEvent, LogTarget, StoredLogEvent } from './types';

/** Who did it and over which HTTP call: every write path carries one. */
export type CallContext = {
  actor: LogActor;
  ipAddress: string;
  userAgent: string;
  /** X-Okta-Request-Id of the call that caused the event. */
  requestId: string;
  url: string;
};

export type NewLogEvent = {
  eventType: string;
  displayMessage: string;
  target?: LogTarget[];
  outcome?: { result: string; reason?: string | null };
  severity?: LogEvent['severity'];
  legacyEventType?: string | null;
  debugData?: Record<string, unknown>;
  /** Replaces the call's actor (OIG acting on its own, an end user in an actor endpoint). */
  actor?: LogActor;
};

export function buildLogEvent(ctx: CallContext, e: NewLogEvent, now = new Date()): LogEvent {
  const path = ctx.url.split('?')[0] ?? ctx.url;
  return {
    uuid: uuid(),
    published: now.toISOString(),
    eventType: e.eventType,
    legacyEventType: e.legacyEventType ?? null,
    version: '0',
    displayMessage: e.displayMessage,
    severity: e.severity ?? 'INFO',
    outcome: { result: e.outcome?.result ?? 'SUCCESS', reason: e.outcome?.reason ?? null },
    actor: e.actor ?? ctx.actor,
    client: {
      userAgent: { rawUserAgent: ctx.userAgent, os: 'Unknown', browser: 'UNKNOWN' },
      zone: 'null',
      device: 'Unknown',
      id: null,
      ipAddress: ctx.ipAddress,
      geographicalContext: { city: null, state: null, country: null, postalCode: null, geolocation: null },
    },
    request: { ipChain: [{ ip: ctx.ipAddress, version: ctx.ipAddress.includes(':') ? 'V6' : 'V4' }] },
    target: e.target ?? [],
    transaction: { type: 'WEB', id: ctx.requestId, detail: {} },
    debugContext: {
      debugData: { requestId: ctx.requestId, requestUri: path, url: ctx.url, ...e.debugData },
    },
    authenticationContext: {
      authenticationProvider: null,
      credentialProvider: null,
      credentialType: null,
      issuer: null,
      externalSessionId: 'trs-sandbox',
      interface: null,
      authenticationStep: 0,
    },
    securityContext: { asNumber: null, asOrg: null, isp: null, domain: null, isProxy: null },
  };
}

export type LogQuery = {
  since?: string;
  until?: string;
  filter?: string;
  q?: string;
  limit?: number;
  sortOrder?: 'ASCENDING' | 'DESCENDING';
  after?: string;
};

export type LogPage = { events: LogEvent[]; nextAfter: string | undefined };

const RETENTION_LIMIT_MS = 180 * 86_400_000;

function parseTime(value: string, name: string): number {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw oktaErrors.validation(name, [`${name}: invalid date ${value}`]);
  return t;
}

export function encodeLogCursor(seq: number): string {
  return Buffer.from(`log:${seq}`).toString('base64url');
}

function decodeLogCursor(after: string): number {
  const raw = Buffer.from(after, 'base64url').toString('utf8');
  const m = /^log:(\d+)$/.exec(raw);
  if (!m) throw oktaErrors.invalidPaging();
  return Number(m[1]);
}

function matchesQ(e: LogEvent, terms: string[]): boolean {
  const hay = [
    e.eventType,
    e.displayMessage,
    e.actor.id,
    e.actor.alternateId,
    e.actor.displayName,
    ...e.target.flatMap((t) => [t.id, t.alternateId, t.displayName]),
    e.outcome.result,
    e.client.ipAddress,
  ]
    .join(' ')
    .toLowerCase();
  return terms.every((t) => hay.includes(t));
}

/** `lastSeq` is the newest row's position; it anchors the polling cursor when a page comes back empty. */
export function queryLogs(
  rows: StoredLogEvent[],
  query: LogQuery,
  lastSeq: number,
  now = Date.now(),
): LogPage {
  const limit = query.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw oktaErrors.invalidPaging();
  const since = query.since ? parseTime(query.since, 'since') : now - 7 * 86_400_000;
  if (since < now - RETENTION_LIMIT_MS) throw oktaErrors.sinceTooOld();
  const until = query.until ? parseTime(query.until, 'until') : undefined;
  const order = query.sortOrder ?? 'ASCENDING';
  let filter: ScimNode | undefined;
  if (query.filter) {
    try {
      filter = parseScimFilter(query.filter);
    } catch (err) {
      throw oktaErrors.invalidSearch(err instanceof ScimFilterError ? err.message : undefined);
    }
    if (/\bpublished\b/.test(query.filter))
      throw new OktaApiError(400, 'E0000031', 'Invalid search criteria.', [
        { errorSummary: 'published is not filterable; use since and until' },
      ]);
  }
  const terms = (query.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const afterSeq = query.after ? decodeLogCursor(query.after) : undefined;

  const matches = (r: StoredLogEvent): boolean => {
    const t = Date.parse(r.event.published);
    if (t < since || (until !== undefined && t >= until)) return false;
    if (filter && !evaluateScim(filter, r.event)) return false;
    return terms.length === 0 || matchesQ(r.event, terms);
  };

  const page: StoredLogEvent[] = [];
  let more = false;
  if (order === 'ASCENDING') {
    for (const r of rows) {
      if (afterSeq !== undefined && r.seq <= afterSeq) continue;
      if (!matches(r)) continue;
      if (page.length === limit) {
        more = true;
        break;
      }
      page.push(r);
    }
  } else {
    for (let i = rows.length - 1; i >= 0; i--) {
      const r = rows[i]!;
      if (afterSeq !== undefined && r.seq >= afterSeq) continue;
      if (!matches(r)) continue;
      if (page.length === limit) {
        more = true;
        break;
      }
      page.push(r);
    }
  }
  const last = page[page.length - 1];
  const polling = order === 'ASCENDING' && until === undefined;
  let nextAfter: string | undefined;
  if (polling) {
    // The cursor stays at the last row handed out, or where the caller already was: new rows always
    // get a higher seq, so the next poll returns exactly what happened since.
    nextAfter = encodeLogCursor(last?.seq ?? afterSeq ?? lastSeq);
  } else if (more && last) {
    nextAfter = encodeLogCursor(last.seq);
  }
  return { events: page.map((r) => r.event), nextAfter };
}

// Cursor pagination the Okta way: opaque `after` cursors, `limit` bounds, and `Link` headers with absolute
// URLs (`rel="self"`, and `rel="next"` only when more rows exist). Clients must follow links, never build them.
import type { Response } from 'express';
import { oktaErrors } from './errors';

export function encodeCursor(seq: number): string {
  return Buffer.from(`c:${seq}`).toString('base64url');
}

export function decodeCursor(after: string): number {
  const m = /^c:(\d+)$/.exec(Buffer.from(after, 'base64url').toString('utf8'));
  if (!m) throw oktaErrors.invalidPaging();
  return Number(m[1]);
}

/** Parses `limit` (string from the query) against the endpoint's default and maximum. */
export function parseLimit(raw: unknown, def: number, max: number): number {
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw oktaErrors.invalidPaging();
  // Okta clamps an over-large limit to the maximum rather than failing.
  return Math.min(n, max);
}

/**
 * One page of `items` after the cursor. Items come in list order: ascending by seq, or descending when
 * `descending` is set (then the cursor means "older than").
 */
export function pageOf<T extends { seq: number }>(
  items: Iterable<T>,
  after: string | undefined,
  limit: number,
  descending = false,
): { page: T[]; nextAfter: string | undefined } {
  const afterSeq = after ? decodeCursor(after) : undefined;
  const page: T[] = [];
  for (const it of items) {
    if (afterSeq !== undefined && (descending ? it.seq >= afterSeq : it.seq <= afterSeq)) continue;
    if (page.length === limit) return { page, nextAfter: encodeCursor(page[page.length - 1]!.seq) };
    page.push(it);
  }
  return { page, nextAfter: undefined };
}

/** Absolute URL of `path` with `query`, dropping empty values. */
export function absoluteUrl(
  baseUrl: string,
  path: string,
  query: Record<string, string | number | boolean | undefined | null>,
): string {
  const u = new URL(path, `${baseUrl}/`);
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    u.searchParams.set(k, String(v));
  }
  return u.toString();
}

/** Writes the `Link` headers: self (the query as asked) and next (same query, new cursor) when there is more. */
export function setLinkHeaders(
  res: Response,
  baseUrl: string,
  path: string,
  query: Record<string, string | number | boolean | undefined | null>,
  nextAfter: string | undefined,
): { self: string; next: string | undefined } {
  const self = absoluteUrl(baseUrl, path, query);
  const next = nextAfter ? absoluteUrl(baseUrl, path, { ...query, after: nextAfter }) : undefined;
  const links = [`<${self}>; rel="self"`];
  if (next) links.push(`<${next}>; rel="next"`);
  res.setHeader('Link', links);
  return { self, next };
}

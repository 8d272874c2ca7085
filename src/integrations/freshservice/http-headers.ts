// Reading Freshservice's response headers: the `link` rel="next" URL of a paged list and the
// X-RateLimit-* budget that every response carries.

/** The URL of `rel="next"` in a `link` header, or undefined on the last page. */
export function nextLink(header: unknown): string | undefined {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (typeof value !== 'string') return undefined;
  for (const part of value.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]+)>\s*;(.*)$/.exec(part);
    if (m?.[1] && /\brel\s*=\s*"?next"?/i.test(m[2] ?? '')) return m[1];
  }
  return undefined;
}

const int = (v: unknown): number | undefined => {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

/** Header names are case-insensitive; axios lower-cases them. */
export function readRateLimit(headers: Record<string, unknown>): {
  total: number | undefined;
  remaining: number | undefined;
  usedCurrentRequest: number | undefined;
} {
  return {
    total: int(headers['x-ratelimit-total']),
    remaining: int(headers['x-ratelimit-remaining']),
    usedCurrentRequest: int(headers['x-ratelimit-used-currentrequest']),
  };
}

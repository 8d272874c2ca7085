// Builders for Freshservice filter queries (`/tickets/filter?query=`, `/requesters?query=`), so callers
// never splice raw values into the grammar. Strings go in single quotes; how Freshservice escapes a quote
// inside a value is UNCONFIRMED, so we send a backslash escape (the sandbox accepts it) and keep values
// that contain quotes out of correlation markers.

/** A single-quoted string literal for a filter query. */
export function fsString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A date or timestamp literal (`'2026-01-31'` or `'2026-01-31T10:00:00Z'`) in Freshservice's UTC format. */
export function fsDate(value: Date | string): string {
  const iso = typeof value === 'string' ? value : value.toISOString();
  return `'${iso.replace(/\.\d{3}Z$/, 'Z')}'`;
}

/** Freshservice's wire timestamp (`YYYY-MM-DDTHH:MM:SSZ`) for a Date or ISO string. */
export function fsTimestamp(value: Date | string): string {
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a date: ${String(value)}`);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Wraps a query in the double quotes the API requires. */
export function fsQueryParam(query: string): string {
  return `"${query}"`;
}

// Small pure helpers that render notes, replies and messages: HTML escaping, label/value lists and
// readable instants. Deterministic, so workflows use them freely.

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function htmlList(rows: [string, string][]): string {
  return `<ul>${rows.map(([k, v]) => `<li><b>${escapeHtml(k)}:</b> ${escapeHtml(v)}</li>`).join('')}</ul>`;
}

/** `2026-11-22 14:05 UTC` from an ISO instant or epoch ms; the input unchanged when it is not a date. */
export function formatInstant(value: string | number): string {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(ms)) return String(value);
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/:\d{2}(\.\d+)?Z$/, ' UTC');
}

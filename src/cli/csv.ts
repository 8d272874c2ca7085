// A minimal RFC 4180 writer for the audit export, so the CSV opens cleanly in spreadsheets without a
// dependency. Cells that a spreadsheet would run as a formula are neutralised (OWASP "CSV injection"),
// because decision reasons are free text typed by people.

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header line and one line per row, CRLF-terminated as RFC 4180 says. */
export function toCsv<K extends string>(
  columns: readonly K[],
  rows: readonly Record<K, string | number | boolean | null>[],
): string {
  const lines = [columns.join(','), ...rows.map((row) => columns.map((c) => csvCell(row[c])).join(','))];
  return lines.map((l) => `${l}\r\n`).join('');
}

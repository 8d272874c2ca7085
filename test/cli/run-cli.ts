// Runs the operator CLI in-process with captured output and an explicit environment, as a user's shell
// would run `npm run cli -- …`, plus a strict CSV reader to check the export as a spreadsheet would.
import { main } from '../../src/cli';

export type CliRun = { code: number; stdout: string; stderr: string };

export async function runCli(argv: string[], env: Record<string, string> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: { LOG_LEVEL: 'silent', ...env },
  });
  return { code, stdout, stderr };
}

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; records end with CRLF. */
export function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else {
      field += ch;
    }
  }
  if (field !== '' || record.length > 0) throw new Error('CSV does not end with CRLF');
  const [header, ...rows] = records;
  if (!header) throw new Error('CSV has no header');
  return rows.map((r) => {
    if (r.length !== header.length)
      throw new Error(`CSV row has ${r.length} fields, header ${header.length}`);
    return Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']));
  });
}

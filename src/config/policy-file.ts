// Reads and validates the access policy file (YAML or JSON) at worker start, so a bad policy stops the
// worker naming the failing path instead of failing requests one by one.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseAccessPolicy, type TAccessPolicy } from '../policy/access';

export function loadAccessPolicyFile(path: string): TAccessPolicy {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(
      `Cannot read access policy ${path}: ${err instanceof Error ? err.message : String(err)}`,
      {
        cause: err,
      },
    );
  }
  return parseAccessPolicy(raw, `access policy ${path}`);
}

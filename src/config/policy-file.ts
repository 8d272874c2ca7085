// Reads and validates the policy file (YAML or JSON; every rule family's sections, src/policy/index.ts) at
// worker start, so a bad policy stops the worker naming the failing path instead of failing requests one
// by one.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parsePolicyFile } from '../policy';
import type { TAccessPolicy } from '../policy/access';

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
  return parsePolicyFile(raw, `access policy ${path}`);
}

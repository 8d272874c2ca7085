// Proves the policy file's root is composed from its rule families: today's file (the access family's
// sections) parses to exactly what the access family alone parses, an unknown top-level section is refused
// naming it, and the access family's cross-section rules still run at the root.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parsePolicyFile } from '../../src/policy';
import { parseAccessPolicy } from '../../src/policy/access';

const raw = parse(readFileSync(join(__dirname, '..', 'fixtures', 'test-policy.yaml'), 'utf8')) as Record<
  string,
  unknown
>;

describe('policy file composed of rule families', () => {
  it('given the access sections, then the file parses to what the access family parses', () => {
    assert.deepEqual(parsePolicyFile(raw), parseAccessPolicy(raw));
  });

  it('given an unknown top-level section, then the error names it', () => {
    assert.throws(
      () => parsePolicyFile({ ...raw, provisioning: {} }, 'policy file x.yaml'),
      (err: Error) =>
        err.message.startsWith('Invalid policy file x.yaml:') && /provisioning/.test(err.message),
    );
  });

  it('given an invalid file and no source named, then the error calls it the policy file', () => {
    assert.throws(
      () => parsePolicyFile({ ...raw, provisioning: {} }),
      (err: Error) => err.message.startsWith('Invalid policy file:\n') && /provisioning/.test(err.message),
    );
  });

  it('given an SoD rule naming an unknown resource, then the access rule reports it at the root', () => {
    assert.throws(
      () =>
        parsePolicyFile({ ...raw, sod: [{ name: 'x', resources: ['Nope', 'Also nope'], action: 'block' }] }),
      /sod\.0\.resources\.0: unknown resource "Nope"/,
    );
  });
});

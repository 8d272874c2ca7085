// The filter-query grammar on its own: precedence, parentheses, strings with escapes, dates, null,
// starts-with, and the 400s a malformed query gets (always naming the `query` parameter).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  matchesFilter,
  parseFilterQuery,
  type FieldValue,
} from '../../../src/sandbox/freshservice/filter-query';
import { FsApiError } from '../../../src/sandbox/freshservice/wire';
import { fsString } from '../../../src/integrations/freshservice';

const spec = {
  fields: new Set(['status', 'priority', 'tag', 'created_at', 'group_id', 'name', 'email']),
  dateFields: new Set(['created_at']),
};

const record: Record<string, FieldValue> = {
  status: 2,
  priority: 3,
  tag: ['vip', "o'brien"],
  created_at: '2026-03-10T12:00:00Z',
  group_id: null,
  name: 'Ada Lovelace',
  email: 'ada@acme.example',
};

const matches = (q: string) =>
  matchesFilter(parseFilterQuery(`"${q}"`, spec), (f) => record[f], spec.dateFields);

describe('sandbox filter-query grammar', () => {
  it('given AND and OR without parentheses, when evaluated, then AND binds tighter', () => {
    assert.equal(matches('status:3 AND priority:1 OR priority:3'), true);
    assert.equal(matches('status:3 AND (priority:1 OR priority:3)'), false);
  });

  it('given :> and :< on numbers and dates, when evaluated, then they are inclusive and dates may be whole days', () => {
    assert.equal(matches('priority:>3 AND priority:<3'), true);
    assert.equal(matches("created_at:>'2026-03-10' AND created_at:<'2026-03-10'"), true);
    assert.equal(matches("created_at:>'2026-03-11'"), false);
    assert.equal(matches("created_at:'2026-03-10T12:00:00Z'"), true);
  });

  it('given strings, lists, null and starts-with, when evaluated, then matching is case-insensitive and list-aware', () => {
    assert.equal(matches("tag:'VIP'"), true);
    assert.equal(matches(`tag:${fsString("o'brien")}`), true);
    assert.equal(matches('group_id:null'), true);
    assert.equal(matches("~[name|email]:'ada'"), true);
    assert.equal(matches("~[name]:'love'"), false);
  });

  it('given malformed queries, when parsed, then each is a 400 on the query parameter', () => {
    for (const bad of [
      'status:2',
      '"status:2 AND"',
      '"(status:2"',
      '"status:open"',
      '"unknown_field:1"',
      '"status:2 status:3"',
      `"${'status:2 AND '.repeat(50)}status:2"`,
    ]) {
      assert.throws(
        () => parseFilterQuery(bad, spec),
        (err: unknown) => err instanceof FsApiError && err.status === 400 && err.errors[0]?.field === 'query',
        bad,
      );
    }
  });
});

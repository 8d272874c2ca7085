// Every CLI option error names the option and the form it takes, and exits 2 (break-it pass, items 1 and 6):
// a history file that is no history is refused naming its field before the SDK sees it, numbers and dates
// are checked by the command (a negative number is a value, not "ambiguous"), and a date the calendar lacks
// is refused as one that does not exist. None of these needs Temporal: each fails before connecting.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';

describe('CLI option errors', () => {
  it('given a replay file that is no workflow history, when replayed, then exit 2 names --file and the failing field, never a JavaScript error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'access-bridge-cli-'));
    try {
      for (const [content, field] of [
        ['{"events":[]}', /events must hold at least one event/],
        ['{}', /events must be the list of the run's events/],
        [
          '{"events":[{"eventType":"EVENT_TYPE_WORKFLOW_EXECUTION_STARTED"}]}',
          /events\.0\.eventId must be the event's number/,
        ],
        [
          '{"events":[{"eventId":"1","eventType":"EVENT_TYPE_WORKFLOW_TASK_SCHEDULED"}]}',
          /events must start with the workflow's WorkflowExecutionStarted event/,
        ],
      ] as const) {
        const file = join(dir, 'f.json');
        writeFileSync(file, content);
        const r = await runCli(['replay', '--file', file]);
        assert.equal(r.code, 2, `${content}: ${r.stderr}`);
        assert.match(
          r.stderr,
          new RegExp(`^replay: --file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `),
        );
        assert.match(r.stderr, field);
        assert.match(r.stderr, /temporal workflow show --output json/, 'says what the file should be');
        assert.doesNotMatch(r.stderr, /Cannot destructure|TypeError/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('given a number option that is no number, negative or out of range, when run, then exit 2 names the option and the whole numbers it takes', async () => {
    for (const [argv, message] of [
      [
        ['reset', '--workflow-id', 'x', '--event-id', 'abc', '--reason', 'r'],
        '--event-id takes a whole number of 1 or more',
      ],
      [
        ['reset', '--workflow-id', 'x', '--event-id', '-4', '--reason', 'r'],
        '--event-id takes a whole number of 1 or more',
      ],
      [['replay', '--limit', '-3'], '--limit takes a whole number from 1 to 10000'],
      [['replay', '--limit', '2.5'], '--limit takes a whole number from 1 to 10000'],
      [['replay', '--limit', 'ten'], '--limit takes a whole number from 1 to 10000'],
      [['export', '--query-timeout', 'abc'], '--query-timeout takes a number above 0 and at most 300'],
      [['export', '--query-timeout', '-1'], '--query-timeout takes a number above 0 and at most 300'],
    ] as const) {
      const r = await runCli([...argv]);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
      assert.ok(r.stderr.includes(message), `${argv.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /NaN|ambiguous|expected number/);
    }
  });

  it('given an option left without its value, when run, then exit 2 names the option and how to give it', async () => {
    const r = await runCli(['replay', '--workflow-id', '--query', 'q']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--workflow-id needs a value: --workflow-id <value>/);
  });

  it('given --since on a day the calendar lacks, when exporting, then exit 2 says the date does not exist, naming --since', async () => {
    const r = await runCli(['export', '--since', '2026-02-30']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--since 2026-02-30 does not exist: February 2026 has 28 days/);
    const bad = await runCli(['export', '--since', 'yesterday-ish']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--since takes an ISO date or instant, e.g. --since 2025-01-01/);
  });

  it('given a --format or --source outside their choices, when run, then exit 2 names the option and its choices', async () => {
    const format = await runCli(['export', '--format', 'xml']);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /--format takes csv or json/);
    const source = await runCli(['reconcile', '--source', 'nope']);
    assert.equal(source.code, 2);
    assert.match(source.stderr, /--source takes okta-system-log or freshservice-tickets/);
  });
});

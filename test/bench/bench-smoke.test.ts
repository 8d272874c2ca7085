// `npm run bench` at tiny sizes inside `npm test`: every scenario runs against its reference and the report
// is written and parseable. Asserts correctness only (counts, zero failed calls), never times.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZBenchOptions } from '../../bench/options';
import type { BenchReport } from '../../bench/report';
import { runBench, type BenchRun } from '../../bench/run';

describe('npm run bench (smoke sizes)', () => {
  let dir: string;
  let run: BenchRun;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
    run = await runBench(
      ZBenchOptions.parse({
        deliveries: 20,
        intakeConcurrency: 5,
        grants: 10,
        budgetPerMinute: 600,
        grantDurationSeconds: 12,
        waiting: 50,
        resumes: 2,
        e2e: 3,
        concurrency: 8,
        resultsDir: dir,
      }),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('given webhook deliveries, when taken in, then each is acknowledged and starts its workflow', () => {
    const intake = run.report.intake!;
    assert.equal(intake.product.ok, 20);
    assert.equal(intake.product.workflowsStarted, 20);
    assert.equal(intake.bare.ok, 20);
  });

  it('given bulk approvals, when granted, then every grant is in Okta with no failed call', () => {
    const grants = run.report.bulk!.grants;
    assert.equal(grants.verified, 10);
    assert.equal(grants.failedCalls, 0);
    assert.ok(grants.oktaCalls >= 10, 'at least one Okta call per grant');
  });

  it('given grants ending at one moment, when they end, then every one is revoked with no failed call', () => {
    const expiry = run.report.bulk!.expiry;
    assert.equal(expiry.verified, 10);
    assert.equal(expiry.failedCalls, 0);
  });

  it('given open requests, when one is signalled, then all were waiting and the signalled ones completed', () => {
    const waiting = run.report.waiting!;
    assert.equal(waiting.running, 50);
    assert.equal(waiting.resumed, 2);
    assert.ok(waiting.waiting.rssMb > 0);
  });

  it('given OIG requests, when raised, then each has exactly one Freshservice ticket', () => {
    const e2e = run.report.e2e!;
    assert.equal(e2e.ticketsOpened, 3);
    assert.equal(e2e.duplicateTickets, 0);
  });

  it('given the run, when it ends, then the JSON and Markdown reports are written and parseable', () => {
    const parsed = JSON.parse(readFileSync(run.files.json, 'utf8')) as BenchReport;
    assert.equal(parsed.correct, true);
    assert.equal(parsed.bulk?.grants.items, 10);
    const table = readFileSync(run.files.markdown, 'utf8');
    for (const n of [
      '1. Webhook intake',
      '2. Bulk grants',
      '3. Bulk expiry',
      '4. Many open',
      '5. End to end',
    ]) {
      assert.ok(table.includes(n), `the table has ${n}`);
    }
  });
});

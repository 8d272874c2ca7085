// `npm run bench` at tiny sizes inside `npm test`: every scenario runs against its reference and the report
// is written and parseable. Asserts correctness only (counts, zero failed calls, verified outcomes in the
// sandboxes), never times, so a product regression on any measured path fails it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grantDurationSeconds, ZBenchOptions, type BenchOptions } from '../../bench/options';
import type { BenchReport } from '../../bench/report';
import { runBench, type BenchRun } from '../../bench/run';

describe('npm run bench (smoke sizes)', () => {
  let dir: string;
  let run: BenchRun;
  let options: BenchOptions;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
    // The grant duration is left to the bench to derive, as `npm run bench` does.
    options = ZBenchOptions.parse({
      deliveries: 20,
      intakeConcurrency: 5,
      grants: 10,
      budgetPerMinute: 600,
      waiting: 50,
      resumes: 2,
      e2e: 3,
      concurrency: 8,
      resultsDir: dir,
    });
    run = await runBench(options);
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
    assert.equal(options.grantDurationSeconds, 0);
    assert.equal(run.report.options.grantDurationSeconds, grantDurationSeconds(options));
    const expiry = run.report.bulk!.expiry;
    assert.equal(expiry.verified, 10);
    assert.equal(expiry.failedCalls, 0);
  });

  it('given product flows held at a pending approval, when real ones are approved, then each is granted and resolved', () => {
    const waiting = run.report.waiting!;
    assert.equal(waiting.awaitingApproval, 50, 'every held-open flow answers that it awaits approval');
    assert.equal(waiting.running, 50 + 2, 'the held-open flows and the real requests are running');
    assert.equal(waiting.heldOpenOktaCalls, 0, 'a resumed run calls nothing before it waits');
    assert.equal(waiting.resumed, 2, 'each approved request: ticket resolved, membership in Okta, granted');
    assert.ok(waiting.waiting.rssMb > 0);
  });

  it('given OIG requests, when their flows have settled and been replayed, then each has exactly one ticket', () => {
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

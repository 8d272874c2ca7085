// Runs the selected scenarios one after another (never side by side: each has the 2 cores to itself and
// its reference runs in the same setup), then writes the report. Used by the CLI and by the smoke test.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { grantDurationSeconds, type BenchOptions } from './options';
import { writeReport, type BenchReport } from './report';
import { startBenchTemporal } from './lib/temporal';
import { runBulkAccess } from './scenarios/bulk-access';
import { runEndToEnd } from './scenarios/end-to-end';
import { runManyOpen } from './scenarios/many-open';
import { runWebhookIntake } from './scenarios/webhook-intake';

export type BenchRun = { report: BenchReport; files: { json: string; markdown: string } };

export async function runBench(
  options: BenchOptions,
  progress: (line: string) => void = () => undefined,
): Promise<BenchRun> {
  const started = Date.now();
  const selected = new Set((options.only ?? 'intake,bulk,waiting,e2e').split(',').map((s) => s.trim()));
  const report: BenchReport = {
    startedAt: new Date(started).toISOString(),
    wallSeconds: 0,
    machine: { cpus: cpus().length, node: process.version, platform: process.platform },
    options: { ...options, grantDurationSeconds: grantDurationSeconds(options) },
    correct: true,
    errors: [],
  };
  const scratchDir = mkdtempSync(join(tmpdir(), 'access-bridge-bench-run-'));
  progress('starting Temporal and bundling the product workflows');
  const temporal = await startBenchTemporal(process.env.TEMPORAL_TEST_ADDRESS);
  // A scenario that throws is recorded and makes the run incorrect; the others still run and report.
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T | undefined> => {
    const t0 = Date.now();
    progress(`${name}: running`);
    try {
      const out = await fn();
      progress(`${name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return out;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      progress(`${name}: FAILED: ${message}`);
      report.errors.push(`${name}: ${message}`);
      return undefined;
    }
  };
  try {
    const base = { temporalAddress: temporal.address, bundlePath: temporal.bundlePath };
    if (selected.has('intake')) {
      report.intake = await timed('1 webhook intake', () =>
        runWebhookIntake({ ...base, deliveries: options.deliveries, concurrency: options.intakeConcurrency }),
      );
    }
    if (selected.has('bulk')) {
      report.bulk = await timed('2+3 bulk grants and expiry', () =>
        runBulkAccess(
          {
            ...base,
            scratchDir,
            grants: options.grants,
            budgetPerMinute: options.budgetPerMinute,
            grantDurationSeconds: report.options.grantDurationSeconds,
            concurrency: options.concurrency,
          },
          progress,
        ),
      );
    }
    if (selected.has('waiting')) {
      report.waiting = await timed('4 many open requests', () =>
        runManyOpen({
          ...base,
          scratchDir,
          workflows: options.waiting,
          concurrency: options.concurrency,
          resumes: options.resumes,
        }),
      );
    }
    if (selected.has('e2e')) {
      report.e2e = await timed('5 end to end', () => runEndToEnd({ ...base, requests: options.e2e }));
    }
  } finally {
    await temporal.stop();
    rmSync(scratchDir, { recursive: true, force: true });
  }
  report.wallSeconds = Math.round((Date.now() - started) / 1000);
  report.correct =
    report.errors.length === 0 &&
    [
      report.intake?.correct,
      report.bulk?.grants.correct,
      report.bulk?.expiry.correct,
      report.waiting?.correct,
      report.e2e?.correct,
    ].every((c) => c !== false);
  const files = writeReport(report, options.resultsDir ?? resolve(__dirname, 'results'));
  return { report, files };
}

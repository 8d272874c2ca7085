// The bench report: one JSON document per run and the Markdown table printed and saved beside it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchOptions } from './options';
import type { BulkResult } from './scenarios/bulk-access';
import type { EndToEndResult } from './scenarios/end-to-end';
import type { ManyOpenResult } from './scenarios/many-open';
import type { IntakeResult } from './scenarios/webhook-intake';

export type BenchReport = {
  startedAt: string;
  wallSeconds: number;
  machine: { cpus: number; node: string; platform: string };
  options: BenchOptions & { grantDurationSeconds: number };
  intake?: IntakeResult;
  bulk?: BulkResult;
  waiting?: ManyOpenResult;
  e2e?: EndToEndResult;
  correct: boolean;
  /** Scenarios that threw, with the message. */
  errors: string[];
};

const ok = (b: boolean) => (b ? 'yes' : '**NO**');

export function renderMarkdown(r: BenchReport): string {
  const rows: string[][] = [];
  if (r.intake) {
    const i = r.intake;
    rows.push([
      `1. Webhook intake (${i.product.deliveries} deliveries, concurrency ${i.concurrency})`,
      `${i.product.throughputPerSecond}/s, p50 ${i.product.p50Ms} ms, p99 ${i.product.p99Ms} ms`,
      `bare Express: ${i.bare.throughputPerSecond}/s, p50 ${i.bare.p50Ms} ms, p99 ${i.bare.p99Ms} ms`,
      `throughput ×${i.ratio.throughput}, p50 ×${i.ratio.p50}, p99 ×${i.ratio.p99}`,
      `${ok(i.correct)}: ${i.product.ok} acknowledged, ${i.product.workflowsStarted} workflows running`,
    ]);
  }
  if (r.bulk) {
    const b = r.bulk;
    for (const [label, p, what] of [
      ['2. Bulk grants', b.grants, 'granted and verified'],
      ['3. Bulk expiry', b.expiry, 'revoked and verified'],
    ] as const) {
      rows.push([
        `${label} (${p.items}, budget ${b.budgetPerMinute} Okta calls/min)`,
        `${p.wallSeconds} s wall`,
        `lower bound ${p.lowerBoundSeconds} s (${p.oktaCalls} calls ÷ budget)`,
        `×${p.ratioToLowerBound}; ${p.rateLimited429} 429s`,
        `${ok(p.correct)}: ${p.verified}/${p.items} ${what}, ${p.failedCalls} failed calls`,
      ]);
    }
  }
  if (r.waiting) {
    const w = r.waiting;
    rows.push([
      `4. Many open requests (${w.workflows} waiting)`,
      `worker RSS ${w.waiting.rssMb} MB, CPU ${w.waiting.cpuPercent} %; resume p50 ${w.resumeP50Ms} ms, max ${w.resumeMaxMs} ms`,
      `worker before them: RSS ${w.idle.rssMb} MB, CPU ${w.idle.cpuPercent} %`,
      `+${w.rssPerWorkflowKb} KB per workflow; started in ${w.startSeconds} s (worker CPU ${w.startCpuPercent} %)`,
      `${ok(w.correct)}: ${w.running} running (${w.awaitingApproval} held open awaiting approval, ${w.heldOpenOktaCalls} Okta calls while held), ${w.resumed} resumed and granted`,
    ]);
  }
  if (r.e2e) {
    const e = r.e2e;
    rows.push([
      `5. End to end OIG → ticket (${e.requests})`,
      `p50 ${e.p50Ms} ms, p99 ${e.p99Ms} ms`,
      `hook batch window ${e.hookBatchWindowMs} ms`,
      `p50 ×${(e.p50Ms / e.hookBatchWindowMs).toFixed(1)} of the window`,
      `${ok(e.correct)}: ${e.ticketsOpened} tickets, ${e.duplicateTickets} duplicates`,
    ]);
  }
  const header = ['scenario', 'access-bridge', 'reference', 'ratio', 'correct'];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    `access-bridge bench ${r.startedAt} — ${r.machine.cpus} CPUs, Node ${r.machine.node}, ${r.wallSeconds} s wall`,
    '',
    line(header),
    line(header.map(() => '---')),
    ...rows.map(line),
    ...r.errors.map((e) => `\nFAILED ${e}`),
    '',
  ].join('\n');
}

export function writeReport(r: BenchReport, dir: string): { json: string; markdown: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = r.startedAt.replace(/[:.]/g, '-');
  const json = join(dir, `${stamp}.json`);
  const markdown = join(dir, `${stamp}.md`);
  writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(markdown, renderMarkdown(r));
  return { json, markdown };
}

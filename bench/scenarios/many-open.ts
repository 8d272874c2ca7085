// Scenario 4: many open requests. A worker in a child process holds N workflows waiting on approval; the
// bench reads that process's RSS and CPU from /proc while it is idle (the reference) and while the N wait,
// then signals a few and times each from the signal to the workflow's result.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { benchApproveSignal, benchAwaitApproval, benchStateQuery } from '../waiting/workflows';
import { percentile, pool, round, sleep, waitUntil } from '../lib/stats';

export type ManyOpenOptions = {
  temporalAddress: string;
  workflows: number;
  concurrency: number;
  resumes: number;
};

export type ProcessSample = { rssMb: number; cpuPercent: number };

export type ManyOpenResult = {
  workflows: number;
  startSeconds: number;
  idle: ProcessSample;
  waiting: ProcessSample;
  rssPerWorkflowKb: number;
  resumeP50Ms: number;
  resumeMaxMs: number;
  running: number;
  resumed: number;
  correct: boolean;
};

const CLOCK_TICKS = 100; // USER_HZ on Linux

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return line ? Number(line[1]) / 1024 : 0;
}

function cpuSeconds(pid: number): number {
  // Fields after the ")" of the command name: utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

async function sample(pid: number, windowMs: number): Promise<ProcessSample> {
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  await sleep(windowMs);
  const cpu = cpuSeconds(pid) - cpu0;
  return {
    rssMb: round(rssMb(pid), 1),
    cpuPercent: round((cpu / ((performance.now() - t0) / 1000)) * 100, 1),
  };
}

function startWorkerProcess(address: string, taskQueue: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(__dirname, '..', 'waiting', 'worker.ts'), address, taskQueue],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((res, rej) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', () => res(child));
    child.once('exit', (code) => rej(new Error(`bench worker exited with ${code} before it was ready`)));
  });
}

export async function runManyOpen(opts: ManyOpenOptions): Promise<ManyOpenResult> {
  const taskQueue = `bench-waiting-${randomUUID().slice(0, 8)}`;
  const connection = await Connection.connect({ address: opts.temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  const worker = await startWorkerProcess(opts.temporalAddress, taskQueue);
  const pid = worker.pid!;
  const exited = new Promise<void>((res) => worker.once('exit', () => res()));
  try {
    await sleep(2000);
    // Short windows at smoke sizes; ten seconds of steady state at real sizes.
    const windowMs = opts.workflows >= 1000 ? 10_000 : 3000;
    const idle = await sample(pid, windowMs);

    const ids = Array.from({ length: opts.workflows }, (_, i) => `bench-waiting:${taskQueue}:${i}`);
    const t0 = performance.now();
    await pool(ids, opts.concurrency, async (workflowId, i) => {
      await client.workflow.start(benchAwaitApproval, {
        workflowId,
        taskQueue,
        args: [
          { requester: `person${i}@acme.example`, resource: `Bench Group ${i}`, reminderInterval: '1h' },
        ],
      });
    });
    // A query needs the workflow's first task done; the last ones started are the last to be run. Under a
    // backlog a query can time out before the worker reaches it: that only means "not yet".
    await pool(ids.slice(-20), 20, async (id) => {
      await waitUntil(
        () =>
          client.workflow
            .getHandle(id)
            .query(benchStateQuery)
            .then(() => true)
            .catch(() => false),
        `workflow ${id} to run its first task`,
        600_000,
        1000,
      );
    });
    const startSeconds = round((performance.now() - t0) / 1000, 1);
    await sleep(3000);
    const waiting = await sample(pid, windowMs);

    // Visibility is eventually consistent: give the count a few seconds to settle.
    let running = 0;
    for (let tries = 0; tries < 30 && running !== opts.workflows; tries++) {
      if (tries > 0) await sleep(500);
      running = (await client.workflow.count(`TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`))
        .count;
    }

    const resumeMs: number[] = [];
    let resumed = 0;
    for (let k = 0; k < opts.resumes; k++) {
      const handle = client.workflow.getHandle<typeof benchAwaitApproval>(
        ids[Math.floor(((k + 0.5) / opts.resumes) * ids.length)]!,
      );
      const s0 = performance.now();
      await handle.signal(benchApproveSignal, {
        by: 'margaret.hamilton@acme.example',
        at: new Date().toISOString(),
      });
      const result = await handle.result();
      resumeMs.push(performance.now() - s0);
      if (result.phase === 'done' && result.decision?.by === 'margaret.hamilton@acme.example') resumed += 1;
    }
    const rssPerWorkflowKb = round(((waiting.rssMb - idle.rssMb) * 1024) / opts.workflows, 1);
    return {
      workflows: opts.workflows,
      startSeconds,
      idle,
      waiting,
      rssPerWorkflowKb,
      resumeP50Ms: round(percentile(resumeMs, 50), 1),
      resumeMaxMs: round(Math.max(...resumeMs), 1),
      running,
      resumed,
      correct: running === opts.workflows && resumed === opts.resumes,
    };
  } finally {
    worker.kill('SIGTERM');
    await exited;
    await connection.close();
  }
}

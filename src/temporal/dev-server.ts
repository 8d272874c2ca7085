// Runs the Temporal dev server (the CLI built from the Go module proxy by scripts/install-temporal-cli.mjs)
// as a child process: for `npm start` when no cluster is configured, and for the test run. Keeps a pid
// file so a server orphaned by a killed parent is stopped on the next start instead of holding the port.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_KEYS } from '../workflows/shared/contract';

const projectRoot = resolve(__dirname, '..', '..');

/** The version pinned in package.json `config.temporalCliVersion`. */
export function pinnedCliVersion(): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
    config: { temporalCliVersion: string };
  };
  return pkg.config.temporalCliVersion;
}

/** Where the install script caches the CLI; `override` (TEMPORAL_CLI_PATH) wins. */
export function resolveTemporalCli(override?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (override) return override;
  const cacheRoot = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheRoot, 'access-bridge', 'temporal-cli', pinnedCliVersion(), 'temporal');
}

export type DevServerOptions = {
  cliPath: string;
  ip?: string;
  port: number;
  /** undefined: headless. */
  uiPort?: number;
  namespace?: string;
  /** undefined: in memory. */
  dbFile?: string;
  /** Where a pid file lets the next start stop a server orphaned by a killed parent. */
  pidFile?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'never';
  onOutput?: (line: string) => void;
  readyTimeoutMs?: number;
};

export type DevServer = {
  address: string;
  uiUrl: string | undefined;
  pid: number;
  stop(): Promise<void>;
  /** Resolves with the exit code when the process ends for any reason. */
  exited: Promise<number | null>;
};

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function stopOrphan(pidFile: string): void {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      // Not Linux, or the process just ended.
    }
    if (cmdline.includes('start-dev')) process.kill(pid, 'SIGTERM');
  }
  rmSync(pidFile, { force: true });
}

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((res) => {
    const socket = createConnection({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      res(true);
    });
    socket.once('error', () => res(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the frontend until the namespace answers, so callers may start workers at once. */
export async function waitForTemporal(address: string, namespace: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const conn = await Connection.connect({ address, connectTimeout: 2000 });
      try {
        await conn.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await conn.close();
      }
    } catch (err) {
      lastError = err;
      await sleep(250);
    }
  }
  throw new Error(`Temporal at ${address} not ready after ${timeoutMs} ms: ${String(lastError)}`);
}

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  if (!existsSync(opts.cliPath)) {
    throw new Error(
      `Temporal CLI not found at ${opts.cliPath}. Run \`npm install\` (it builds the CLI) or set TEMPORAL_CLI_PATH.`,
    );
  }
  const ip = opts.ip ?? '127.0.0.1';
  const namespace = opts.namespace ?? 'default';
  if (opts.pidFile) stopOrphan(opts.pidFile);
  for (let i = 0; i < 20 && (await portOpen(ip, opts.port)); i++) await sleep(250);
  if (await portOpen(ip, opts.port)) {
    throw new Error(
      `Port ${ip}:${opts.port} is already in use; stop what holds it or set TEMPORAL_DEV_PORT.`,
    );
  }
  if (opts.dbFile) mkdirSync(dirname(opts.dbFile), { recursive: true });

  const args = [
    'server',
    'start-dev',
    '--ip',
    ip,
    '--port',
    String(opts.port),
    '--namespace',
    namespace,
    '--log-level',
    opts.logLevel ?? 'warn',
    '--log-format',
    'json',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
  ];
  for (const key of SEARCH_ATTRIBUTE_KEYS) {
    args.push('--search-attribute', `${key.name}=${key.type}`);
  }
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  if (opts.uiPort !== undefined)
    args.push('--ui-port', String(opts.uiPort), '--ui-ip', ip, '--ui-disable-news-fetch');
  else args.push('--headless');

  const child: ChildProcess = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (!child.pid) throw new Error('Failed to spawn the Temporal dev server');
  const pid = child.pid;
  if (opts.pidFile) {
    mkdirSync(dirname(opts.pidFile), { recursive: true });
    writeFileSync(opts.pidFile, String(pid));
  }
  const output: string[] = [];
  const onData = (buf: Buffer) => {
    for (const line of buf.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      output.push(line);
      if (output.length > 50) output.shift();
      opts.onOutput?.(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));

  const address = `${ip}:${opts.port}`;
  const ready = waitForTemporal(address, namespace, opts.readyTimeoutMs ?? 60_000);
  const result = await Promise.race([
    ready.then(() => 'ready' as const),
    exited.then(() => 'exited' as const),
  ]);
  if (result === 'exited') {
    throw new Error(`Temporal dev server exited during start-up:\n${output.join('\n')}`);
  }

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killTimer);
      }
      if (opts.pidFile) rmSync(opts.pidFile, { force: true });
    })();
    return stopping;
  };
  return {
    address,
    uiUrl: opts.uiPort !== undefined ? `http://${ip}:${opts.uiPort}` : undefined,
    pid,
    stop,
    exited,
  };
}

// Runs `npm start` as a user would, in its own process group (so a group SIGINT is exactly Ctrl-C), on free
// ports and a data directory of the test's own, and stops it the same way.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { getFreePort } from './ports';
import { waitFor } from './wait';

const root = join(__dirname, '..', '..');

export type StartedStack = {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: string | null }>;
  ports: Record<string, string>;
  apiUrl: string;
  oktaUrl: string;
  freshserviceUrl: string;
};

export async function freePorts(): Promise<Record<string, string>> {
  return {
    TEMPORAL_DEV_PORT: String(await getFreePort()),
    TEMPORAL_UI_PORT: String(await getFreePort()),
    API_PORT: String(await getFreePort()),
    SANDBOX_OKTA_PORT: String(await getFreePort()),
    SANDBOX_FRESHSERVICE_PORT: String(await getFreePort()),
  };
}

export async function npmStart(
  env: Record<string, string>,
  ports?: Record<string, string>,
): Promise<StartedStack> {
  const p = ports ?? (await freePorts());
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    detached: true,
    env: { ...process.env, TEMPORAL_TEST_ADDRESS: '', LOG_LEVEL: 'info', ...p, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (b: Buffer) => (text += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (text += b.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((res) =>
    child.once('exit', (code, signal) => res({ code, signal })),
  );
  await waitFor(() => text.includes('access-bridge is running'), 'the start banner', {
    timeoutMs: 90_000,
    intervalMs: 250,
  }).catch((err: Error) => {
    if (child.pid) killGroup(child.pid, 'SIGKILL');
    throw new Error(`${err.message}\n--- output ---\n${text}`);
  });
  return {
    child,
    output: () => text,
    exited,
    ports: p,
    apiUrl: `http://127.0.0.1:${p.API_PORT}`,
    oktaUrl: `http://127.0.0.1:${p.SANDBOX_OKTA_PORT}`,
    freshserviceUrl: `http://127.0.0.1:${p.SANDBOX_FRESHSERVICE_PORT}`,
  };
}

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

// Proves the production image by running the Dockerfile's own recipe without Docker: each stage's COPY,
// RUN (`npm ci --ignore-scripts`, `npm run build`, `npm prune --omit=dev`) and ENV lines in a scratch dir,
// then the final stage's compiled API and worker started as its CMD does, with its NODE_ENV=production and
// only what the image holds (so a runtime import of a devDependency, or a file the image forgot, fails
// here as it would in the container), answering the health checks docker-compose calls (`/readyz`, the
// worker's `/metrics`) and stopping cleanly on SIGTERM.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { SANDBOX_FRESHSERVICE_API_KEY, SANDBOX_OKTA_API_TOKEN } from '../../src/sandbox/credentials';
import { startFreshserviceSandbox, type RunningFreshserviceSandbox } from '../../src/sandbox/freshservice';
import { startOktaSandbox, type RunningOktaSandbox } from '../../src/sandbox/okta';
import { TEST_SECRETS } from '../helpers/api';
import { getFreePort } from '../helpers/ports';
import { testEnv } from '../helpers/temporal';
import { waitFor } from '../helpers/wait';

const root = join(__dirname, '..', '..');
/** `npm ci` and the build take about a minute on 2 cores; a loaded CI machine may take several. */
const STEP_TIMEOUT_MS = 600_000;

/** One stage of the Dockerfile, as far as this test reads it: its COPY, RUN and ENV lines in order. */
type Stage = { name: string; steps: { op: 'COPY' | 'RUN' | 'ENV'; args: string }[] };

/**
 * Reads the Dockerfile's stages so the test runs the image's own recipe rather than a copy of it that
 * could drift. Only the instructions this Dockerfile uses are understood; anything else fails the test.
 */
function readDockerfile(): Stage[] {
  const stages: Stage[] = [];
  const lines = readFileSync(join(root, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ').split('\n');
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [op = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (op === 'FROM') stages.push({ name: /\bAS\s+(\S+)/i.exec(args)?.[1] ?? 'final', steps: [] });
    else if (op === 'COPY' || op === 'RUN' || op === 'ENV') stages.at(-1)!.steps.push({ op, args });
    else assert.ok(['WORKDIR', 'USER', 'CMD'].includes(op), `Dockerfile instruction ${op} is understood`);
  }
  return stages;
}

/** Copies `COPY [--from=stage] <src>... <dest>` relative to the build context or a stage's /app. */
function copy(args: string, into: string, stageDirs: Map<string, string>): void {
  const parts = args.split(/\s+/);
  const from = /^--from=(\S+)$/.exec(parts[0] ?? '')?.[1];
  const paths = from ? parts.slice(1) : parts;
  const dest = paths.pop()!;
  const base = from ? stageDirs.get(from)! : root;
  for (const src of paths) {
    const rel = src.replace(/^\/app\/?/, '');
    const target = dest.endsWith('/') ? join(into, dest, basename(rel)) : join(into, dest);
    cpSync(join(base, rel), target, { recursive: true });
  }
}

let app = '';
const scratch: string[] = [];
const imageEnv: Record<string, string> = {};
/** Stand-ins for the real tenants: production refuses sandbox mode, so they are configured as real ones. */
let okta: RunningOktaSandbox;
let freshservice: RunningFreshserviceSandbox;

/** The vendor settings of a real-tenant deployment, pointed at the sandboxes' wire-compatible APIs. */
function tenantEnv(): Record<string, string> {
  return {
    OKTA_ORG_URL: okta.url,
    OKTA_API_TOKEN: SANDBOX_OKTA_API_TOKEN,
    FRESHSERVICE_BASE_URL: freshservice.url,
    FRESHSERVICE_API_KEY: SANDBOX_FRESHSERVICE_API_KEY,
  };
}
/** Starts a compiled entry point the way the image's CMD does: plain node, NODE_ENV=production. */
function runCompiled(
  entry: string,
  env: Record<string, string>,
): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [join('dist', entry)], {
    cwd: app,
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'info',
      ...imageEnv,
      ...TEST_SECRETS,
      ...tenantEnv(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (b: Buffer) => (text += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (text += b.toString()));
  return { child, output: () => text };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((res) => {
    if (child.exitCode !== null) res(child.exitCode);
    else child.once('exit', (code) => res(code));
  });
}

describe('production build, as the Dockerfile makes it', () => {
  before(async () => {
    okta = await startOktaSandbox({ apiTokens: [SANDBOX_OKTA_API_TOKEN], seed: 'demo' });
    freshservice = await startFreshserviceSandbox({ apiKeys: [SANDBOX_FRESHSERVICE_API_KEY], seed: 'demo' });
    const stageDirs = new Map<string, string>();
    for (const stage of readDockerfile()) {
      const dir = mkdtempSync(join(tmpdir(), `access-bridge-image-${stage.name}-`));
      scratch.push(dir);
      stageDirs.set(stage.name, dir);
      for (const { op, args } of stage.steps) {
        if (op === 'COPY') copy(args, dir, stageDirs);
        else if (op === 'ENV') {
          const [k = '', v = ''] = args.split('=');
          imageEnv[k] = v;
        } else {
          const r = spawnSync('sh', ['-c', args], {
            cwd: dir,
            encoding: 'utf8',
            timeout: STEP_TIMEOUT_MS,
            // npm's cache is reused when it can be; the registry is reachable when it cannot.
            env: { ...process.env, npm_config_prefer_offline: 'true', npm_config_audit: 'false' },
          });
          assert.equal(r.status, 0, `RUN ${args}\n${r.stdout}\n${r.stderr}`);
        }
      }
      app = dir;
    }
    assert.equal(imageEnv.NODE_ENV, 'production', 'the image runs with NODE_ENV=production');
  });
  after(async () => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
    await okta.close();
    await freshservice.close();
  });

  it('given the pruned image tree, when listed, then the entry points exist and no devDependency is installed', () => {
    for (const f of ['api/server.js', 'worker.js', 'main.js', 'workflow-bundle.js']) {
      assert.ok(existsSync(join(app, 'dist', f)), `dist/${f} exists`);
    }
    const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    // A devDependency that a runtime dependency also needs (say @types/node) rightly stays; the lockfile
    // marks the ones nothing at runtime needs with `dev: true`, and those must be gone.
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const devOnly = Object.keys(pkg.devDependencies).filter(
      (d) => lock.packages[`node_modules/${d}`]?.dev === true,
    );
    assert.ok(devOnly.includes('typescript'), 'the lockfile marks dev-only packages (typescript among them)');
    const left = devOnly.filter((d) => existsSync(join(app, 'node_modules', d)));
    assert.deepEqual(left, [], 'npm prune removed every dev-only package');
  });

  it('given a Temporal server, when the compiled API starts in production, then /readyz is 200 and SIGTERM stops it', async () => {
    const env = await testEnv();
    const port = await getFreePort();
    const api = runCompiled('api/server.js', { TEMPORAL_ADDRESS: env.address, API_PORT: String(port) });
    try {
      await waitFor(
        async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200,
        'compiled API ready',
      );
    } finally {
      api.child.kill('SIGTERM');
    }
    assert.equal(await exitOf(api.child), 0, api.output());
  });

  it('given a Temporal server, when the compiled worker starts in production, then it runs the prebuilt bundle, serves /metrics and stops on SIGTERM', async () => {
    const env = await testEnv();
    const metricsPort = await getFreePort();
    const worker = runCompiled('worker.js', {
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: `build-test-${process.pid}`,
      WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
    });
    try {
      await waitFor(() => worker.output().includes('worker running'), 'compiled worker running');
      assert.ok(!worker.output().includes('Workflow bundle created'), 'no webpack bundling at start');
      // The compose health check: fetch('http://127.0.0.1:9464/metrics') must answer ok.
      let metrics = '';
      await waitFor(async () => {
        const r = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
        metrics = await r.text();
        return r.ok;
      }, 'worker /metrics answers');
      assert.match(metrics, /^# (HELP|TYPE) temporal_/m, 'Prometheus text with Temporal SDK metrics');
    } finally {
      worker.child.kill('SIGTERM');
    }
    assert.equal(await exitOf(worker.child), 0, worker.output());
  });
});

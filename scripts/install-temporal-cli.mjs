#!/usr/bin/env node
// Builds the Temporal CLI (dev server + Web UI) from the Go module proxy at the version pinned in
// package.json, because no npm package ships a Temporal server and @temporalio/testing would try to
// download one at run time. The binary is cached by version outside the clone, so a second install or a
// fresh clone on the same machine takes seconds. Run by `npm install` (postinstall) and by `.ci/run`.
//
// Why a wrapper module: from cli v1.6.0 on, the CLI's go.mod replaces its nested `cliext` module with a
// local path, which `go install pkg@version` refuses. A throwaway module that depends on the CLI and
// pins `cliext` to the pseudo-version of the same commit builds it with exactly the CLI's own pins.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Releases we know how to build: the CLI tag, the commit its `cliext` nested module is taken from, the minimum Go. */
const RELEASES = {
  '1.8.2': { cliextVersion: 'v0.0.0-20260731000218-c579925f193f', minGo: [1, 26, 4] },
};

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const version = pkg.config.temporalCliVersion;

function log(msg) {
  console.log(`[temporal-cli] ${msg}`);
}
function fail(msg) {
  console.error(`[temporal-cli] ERROR: ${msg}`);
  process.exit(1);
}

function cachedCliPath(env = process.env) {
  const cacheRoot = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheRoot, 'access-bridge', 'temporal-cli', version, 'temporal');
}

function findGo() {
  // GO_BIN pins the toolchain (and lets tests simulate a missing or old Go); otherwise PATH, then the
  // standard install location, which CI's PATH may lack.
  const candidates = process.env.GO_BIN ? [process.env.GO_BIN] : ['go', '/usr/local/go/bin/go'];
  for (const candidate of candidates) {
    const r = spawnSync(candidate, ['version'], { encoding: 'utf8' });
    if (r.status === 0) return { bin: candidate, version: r.stdout.trim() };
  }
  return undefined;
}

function parseGoVersion(text) {
  const m = /go(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

function atLeast(have, want) {
  for (let i = 0; i < 3; i++) {
    if (have[i] !== want[i]) return have[i] > want[i];
  }
  return true;
}

function run(bin, args, opts) {
  const r = spawnSync(bin, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) fail(`\`${bin} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal}).`);
}

function main() {
  if (process.env.TEMPORAL_CLI_PATH) {
    if (!existsSync(process.env.TEMPORAL_CLI_PATH)) {
      fail(`TEMPORAL_CLI_PATH=${process.env.TEMPORAL_CLI_PATH} does not exist.`);
    }
    log(`using TEMPORAL_CLI_PATH=${process.env.TEMPORAL_CLI_PATH}; nothing to build.`);
    return;
  }
  const release = RELEASES[version];
  if (!release) fail(`package.json pins temporalCliVersion ${version}, which this script has no recipe for.`);

  const target = cachedCliPath();
  if (existsSync(target) && statSync(target).size > 0) {
    log(`Temporal CLI ${version} already built: ${target}`);
    return;
  }

  const go = findGo();
  if (!go) {
    fail(
      'Go is not installed (looked on PATH and in /usr/local/go/bin). Install Go ' +
        `${release.minGo.join('.')} or newer, or set TEMPORAL_CLI_PATH to an existing temporal binary.`,
    );
  }
  const goVersion = parseGoVersion(go.version);
  if (!goVersion || !atLeast(goVersion, release.minGo)) {
    fail(
      `${go.version} is too old: the Temporal CLI ${version} needs Go ${release.minGo.join('.')} or newer.`,
    );
  }

  const started = Date.now();
  log(
    `building Temporal CLI ${version} with ${go.version} (first build downloads ~200 modules; takes minutes)...`,
  );
  const work = mkdtempSync(join(tmpdir(), 'access-bridge-temporal-cli-'));
  const env = {
    ...process.env,
    CGO_ENABLED: '0',
    GOFLAGS: '-mod=mod -buildvcs=false',
    GOTOOLCHAIN: process.env.GOTOOLCHAIN || 'local',
  };
  try {
    writeFileSync(
      join(work, 'go.mod'),
      [
        'module local/access-bridge-temporal-cli',
        '',
        `go ${release.minGo.join('.')}`,
        '',
        `replace github.com/temporalio/cli/cliext => github.com/temporalio/cli/cliext ${release.cliextVersion}`,
        '',
      ].join('\n'),
    );
    log('step 1/2: resolving modules through the Go module proxy');
    run(go.bin, ['get', '-tool', `github.com/temporalio/cli/cmd/temporal@v${version}`], { cwd: work, env });
    log('step 2/2: compiling (CGO_ENABLED=0)');
    mkdirSync(dirname(target), { recursive: true });
    const partial = `${target}.partial-${process.pid}`;
    run(
      go.bin,
      [
        'build',
        '-o',
        partial,
        '-ldflags',
        `-s -w -X github.com/temporalio/cli/internal/temporalcli.Version=${version}`,
        'github.com/temporalio/cli/cmd/temporal',
      ],
      { cwd: work, env },
    );
    // Rename last, so an interrupted build never leaves a half-written binary in the cache.
    renameSync(partial, target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  log(`built ${target} in ${Math.round((Date.now() - started) / 1000)} s`);
}

main();

// Proves the postinstall that builds the Temporal CLI fails clearly when Go is missing or too old, honours
// TEMPORAL_CLI_PATH, and reuses the cached binary without touching Go. (The real build is exercised by
// every `npm install`/CI run; here the slow path is never taken.)
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pinnedCliVersion } from '../../src/temporal/dev-server';

const script = join(__dirname, '..', '..', 'scripts', 'install-temporal-cli.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'access-bridge-cli-test-'));

function run(env: Record<string, string>) {
  const r = spawnSync(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '', XDG_CACHE_HOME: join(scratch, 'empty-cache'), ...env },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('install-temporal-cli', () => {
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('given no Go toolchain, when run, then it exits 1 saying Go is missing and how to proceed', () => {
    const r = run({ GO_BIN: join(scratch, 'no-such-go') });
    assert.equal(r.code, 1);
    assert.match(r.out, /Go is not installed/);
    assert.match(r.out, /TEMPORAL_CLI_PATH/);
  });

  it('given a Go older than the CLI needs, when run, then it exits 1 naming both versions', () => {
    const fakeGo = join(scratch, 'old-go');
    writeFileSync(fakeGo, '#!/bin/sh\necho "go version go1.21.3 linux/amd64"\n');
    chmodSync(fakeGo, 0o755);
    const r = run({ GO_BIN: fakeGo });
    assert.equal(r.code, 1);
    assert.match(r.out, /go1\.21\.3 .*too old.*needs Go 1\.26/);
  });

  it('given TEMPORAL_CLI_PATH to a missing file, when run, then it fails naming the variable', () => {
    const r = run({ TEMPORAL_CLI_PATH: join(scratch, 'missing-temporal') });
    assert.equal(r.code, 1);
    assert.match(r.out, /TEMPORAL_CLI_PATH=.*does not exist/);
  });

  it('given TEMPORAL_CLI_PATH to an existing binary, when run, then nothing is built', () => {
    const bin = join(scratch, 'temporal-override');
    writeFileSync(bin, '');
    const r = run({ TEMPORAL_CLI_PATH: bin, GO_BIN: join(scratch, 'no-such-go') });
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /nothing to build/);
  });

  it('given a cached binary for the pinned version, when run, then it is reused without Go', () => {
    const cache = join(scratch, 'warm-cache');
    const dir = join(cache, 'access-bridge', 'temporal-cli', pinnedCliVersion());
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'temporal'), 'binary');
    const r = run({ XDG_CACHE_HOME: cache, GO_BIN: join(scratch, 'no-such-go') });
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /already built/);
  });
});

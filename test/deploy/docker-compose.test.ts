// There is no Docker engine on these machines, so the production shape is proven by reading it: the
// compose file's services, pinned images, health checks and start order, and that the app environment
// it passes is exactly what loadConfig reads.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES } from '../../src/config';
import { SEARCH_ATTRIBUTE_KEYS } from '../../src/workflows/shared/contract';

const root = join(__dirname, '..', '..');

type Service = {
  image?: string;
  build?: string;
  command?: string[] | string;
  ports?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
};
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;

describe('docker-compose.yml', () => {
  it('given the file, when parsed, then it has the database, Temporal, its UI, setup jobs, api and worker', () => {
    assert.deepEqual(Object.keys(services).sort(), [
      'api',
      'postgresql',
      'temporal',
      'temporal-schema',
      'temporal-setup',
      'temporal-ui',
      'worker',
    ]);
  });

  it('given every third-party image, when read, then it is pinned to an exact version', () => {
    for (const [name, svc] of Object.entries(services)) {
      if (svc.build) continue;
      assert.ok(svc.image, `${name} has an image`);
      assert.match(svc.image, /^[\w./-]+:\d+\.\d+(\.\d+)?[\w.-]*$/, `${name} image ${svc.image} is pinned`);
    }
  });

  it('given the long-running services, when read, then each has a health check', () => {
    for (const name of ['postgresql', 'temporal', 'temporal-ui', 'api', 'worker']) {
      assert.ok(services[name]?.healthcheck?.test.length, `${name} has a healthcheck`);
    }
  });

  it('given the start order, when read, then each step waits for the previous one to be healthy or done', () => {
    const dep = (svc: string, on: string) => services[svc]?.depends_on?.[on]?.condition;
    assert.equal(dep('temporal-schema', 'postgresql'), 'service_healthy');
    assert.equal(dep('temporal', 'temporal-schema'), 'service_completed_successfully');
    assert.equal(dep('temporal-setup', 'temporal'), 'service_healthy');
    assert.equal(dep('temporal-ui', 'temporal'), 'service_healthy');
    assert.equal(dep('api', 'temporal-setup'), 'service_completed_successfully');
    assert.equal(dep('worker', 'temporal-setup'), 'service_completed_successfully');
  });

  it('given the published ports, when read, then Temporal, its UI and the API are reachable', () => {
    assert.deepEqual(services.temporal?.ports, ['7233:7233']);
    assert.deepEqual(services['temporal-ui']?.ports, ['8080:8080']);
    assert.deepEqual(services.api?.ports, ['3000:3000']);
  });

  it('given the app services, when read, then they build this repo and run the compiled entry points', () => {
    assert.equal(services.api?.build, '.');
    assert.equal(services.worker?.build, '.');
    assert.deepEqual(services.api?.command, ['node', 'dist/api/server.js']);
    assert.deepEqual(services.worker?.command, ['node', 'dist/worker.js']);
  });

  it('given the app environment, when compared with loadConfig, then every variable is one it reads', () => {
    for (const name of ['api', 'worker']) {
      const vars = Object.keys(services[name]?.environment ?? {});
      assert.ok(vars.includes('TEMPORAL_ADDRESS'));
      for (const v of vars) assert.ok(CONFIG_VARIABLES.includes(v), `${name}: ${v} is a config variable`);
    }
  });

  it('given the namespace setup script, when read, then it registers every search attribute the workflows use', () => {
    const script = readFileSync(join(root, 'deploy', 'temporal', 'setup-namespace.sh'), 'utf8');
    const line = /for attr in ([^;]+);/.exec(script)?.[1]?.trim().split(/\s+/) ?? [];
    assert.deepEqual(line.sort(), SEARCH_ATTRIBUTE_KEYS.map((k) => k.name).sort());
  });

  it('given .env.example, when read, then every variable in it is a config variable or a compose one', () => {
    const vars = readFileSync(join(root, '.env.example'), 'utf8')
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => l.split('=')[0] ?? '');
    assert.ok(vars.length > 10);
    for (const v of vars) {
      assert.ok(CONFIG_VARIABLES.includes(v) || v.startsWith('POSTGRES_'), `${v} is known`);
    }
  });
});

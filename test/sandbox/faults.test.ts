// The sandboxes' FaultInjector semantics that the reliability suite counts on: a `drop-response` fault is
// applied only when the handler committed (answered 2xx) and that answer was lost; a refused call reaches
// its caller and leaves the rule waiting; a paused injector faults nothing.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { FaultInjector } from '../../src/sandbox/common/faults';

describe('sandbox FaultInjector', () => {
  let faults: FaultInjector;
  let server: Server;
  let url: string;
  let committed: string[];

  before(async () => {
    const app = express();
    app.use(express.json());
    app.use((req, res, next) =>
      faults.middleware((r, status) => r.status(status).json({ status }))(req, res, next),
    );
    // A create that commits before it answers 201, and one that refuses with a 400 (nothing committed).
    app.post('/things', (req, res) => {
      committed.push(String((req.body as { name?: unknown }).name));
      res.status(201).json({ thing: { name: (req.body as { name?: unknown }).name } });
    });
    app.post('/refused', (_req, res) => {
      res.status(400).json({ error: 'invalid' });
    });
    app.put('/members/:id', (req, res) => {
      committed.push(req.params.id);
      res.status(204).end();
    });
    server = await new Promise<Server>((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  });
  beforeEach(() => {
    faults = new FaultInjector();
    committed = [];
  });

  const post = (path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', connection: 'close' },
      body: JSON.stringify(body),
    });

  it('given a drop-response rule, when the handler commits, then the caller loses the answer and the drop is applied with its 201 and body', async () => {
    faults.add({ method: 'POST', path: '/things', kind: 'drop-response' });
    await assert.rejects(post('/things', { name: 'a' }));
    assert.deepEqual(committed, ['a']);
    assert.equal(faults.applied.length, 1);
    assert.equal(faults.applied[0]!.status, 201);
    assert.deepEqual(faults.applied[0]!.response, { thing: { name: 'a' } });
    assert.equal(faults.list().length, 0, 'the rule is used up');
    assert.equal((await post('/things', { name: 'b' })).status, 201, 'the next call is answered');
  });

  it('given a drop-response rule, when the handler refuses with a 400, then the caller gets the 400, nothing is applied and the rule waits for a committed call', async () => {
    faults.add({ method: 'POST', path: '/', kind: 'drop-response' });
    const refused = await post('/refused', {});
    assert.equal(refused.status, 400);
    assert.equal(faults.applied.length, 0, 'a refusal is not a committed drop');
    assert.equal(faults.matched.length, 1, 'but the call was matched');
    assert.equal(faults.list()[0]?.remaining, 1, 'the turn was handed back');
    await assert.rejects(post('/things', { name: 'c' }));
    assert.deepEqual(
      faults.applied.map((a) => [a.path, a.status]),
      [['/things', 201]],
    );
  });

  it('given a drop-response rule, when a 204 without a body commits, then the drop is applied with 204', async () => {
    faults.add({ method: 'PUT', path: '/members', kind: 'drop-response' });
    await assert.rejects(fetch(`${url}/members/u1`, { method: 'PUT', headers: { connection: 'close' } }));
    assert.deepEqual(committed, ['u1']);
    assert.deepEqual(
      faults.applied.map((a) => [a.path, a.status]),
      [['/members/u1', 204]],
    );
  });

  it('given a status rule, when a call matches, then it is answered with the status and applied at once without running the handler', async () => {
    faults.add({ method: 'POST', path: '/things', kind: 'status', status: 503, times: 2 });
    assert.equal((await post('/things', { name: 'd' })).status, 503);
    assert.equal((await post('/things', { name: 'e' })).status, 503);
    assert.equal((await post('/things', { name: 'f' })).status, 201);
    assert.deepEqual(committed, ['f']);
    assert.deepEqual(
      faults.applied.map((a) => a.kind),
      ['status', 'status'],
    );
  });

  it('given a paused injector, when calls match its rules, then none is faulted and the rules stay listed', async () => {
    faults.add({ method: 'POST', path: '/things', kind: 'drop-response' });
    faults.add({ method: 'POST', path: '/things', kind: 'status', status: 500 });
    faults.paused = true;
    assert.equal((await post('/things', { name: 'g' })).status, 201);
    assert.equal(faults.applied.length + faults.matched.length, 0);
    assert.equal(faults.list().length, 2);
  });
});

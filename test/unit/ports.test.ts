// The port picker for servers started on a named port: below the kernel's ephemeral range, so a port it
// answers cannot be handed to another process's ephemeral bind (the Temporal dev server's internal ports,
// an outgoing connection) between the pick and the bind, which is how `npm start` lost its sandbox port.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ephemeralRangeStart, getFreePort } from '../helpers/ports';

describe('free ports', () => {
  it('given the kernel range file, when read, then its first port bounds the picks; unreadable or odd, Linux’s default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ports-'));
    try {
      writeFileSync(join(dir, 'range'), '40000\t60999\n');
      assert.equal(ephemeralRangeStart(join(dir, 'range')), 40000);
      writeFileSync(join(dir, 'odd'), 'none\n');
      assert.equal(ephemeralRangeStart(join(dir, 'odd')), 32768);
      assert.equal(ephemeralRangeStart(join(dir, 'absent')), 32768);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('given twenty picks, when each is bound, then every one is below the ephemeral range, distinct and bindable', async () => {
    const low = ephemeralRangeStart();
    const ports: number[] = [];
    for (let i = 0; i < 20; i++) ports.push(await getFreePort());
    assert.equal(new Set(ports).size, 20, 'no port answered twice');
    for (const port of ports) {
      assert.ok(port >= 10_000 && port < low, `${port} outside [10000, ${low})`);
      const srv = createServer();
      await new Promise<void>((res, rej) => {
        srv.once('error', rej);
        srv.listen(port, '127.0.0.1', () => res());
      });
      await new Promise<void>((res) => srv.close(() => res()));
    }
  });
});

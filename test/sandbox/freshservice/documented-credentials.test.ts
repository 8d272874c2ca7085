// The API key README.md and docs/sandbox-freshservice.md tell users to send to the sandbox Freshservice is
// the one it accepts (src/sandbox/credentials.ts, as src/sandbox/start.ts starts it); another key is 401.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SANDBOX_FRESHSERVICE_API_KEY } from '../../../src/sandbox/credentials';
import { startFreshserviceSandbox, type RunningFreshserviceSandbox } from '../../../src/sandbox/freshservice';

const root = join(__dirname, '..', '..', '..');
const DOCS = ['README.md', 'docs/sandbox-freshservice.md'];

/** Every `curl -u <key>:X` a document shows. */
const documentedKeys = (file: string): string[] =>
  [...readFileSync(join(root, file), 'utf8').matchAll(/curl -u ([A-Za-z0-9_-]+):X/g)].map((m) => m[1]!);

describe('sandbox Freshservice documented credentials', () => {
  let sb: RunningFreshserviceSandbox;
  before(async () => {
    sb = await startFreshserviceSandbox({ apiKeys: [SANDBOX_FRESHSERVICE_API_KEY], seed: 'demo' });
  });
  after(() => sb.close());

  const get = (key: string) =>
    fetch(`${sb.url}/api/v2/tickets`, {
      headers: { authorization: `Basic ${Buffer.from(`${key}:X`).toString('base64')}` },
    });

  for (const file of DOCS) {
    it(`given ${file}, when its API key is sent, then the sandbox answers 200`, async () => {
      const keys = documentedKeys(file);
      assert.ok(keys.length > 0, `${file} shows the sandbox API key`);
      for (const key of keys) {
        assert.equal(
          key,
          SANDBOX_FRESHSERVICE_API_KEY,
          `${file} documents the key of src/sandbox/credentials.ts`,
        );
        assert.equal((await get(key)).status, 200);
      }
      assert.ok(
        readFileSync(join(root, file), 'utf8').includes(`\`${SANDBOX_FRESHSERVICE_API_KEY}\``),
        `${file} names the key in its text`,
      );
    });
  }

  it('given another key, when it is sent, then the sandbox answers 401', async () => {
    assert.equal((await get('sandbox-key')).status, 401);
  });
});

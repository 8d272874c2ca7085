// The API token README.md and docs/sandbox-okta.md tell users to send to the sandbox Okta is the one it
// accepts (src/sandbox/credentials.ts, as src/sandbox/start.ts starts it); another token answers 401.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SANDBOX_OKTA_API_TOKEN } from '../../../src/sandbox/credentials';
import { startOktaSandbox, type RunningOktaSandbox } from '../../../src/sandbox/okta';

const root = join(__dirname, '..', '..', '..');
const DOCS = ['README.md', 'docs/sandbox-okta.md'];

/** Every `Authorization: SSWS <token>` a document shows (placeholders in angle brackets left out). */
const documentedTokens = (file: string): string[] =>
  [...readFileSync(join(root, file), 'utf8').matchAll(/Authorization: SSWS ([A-Za-z0-9_-]+)/g)].map(
    (m) => m[1]!,
  );

describe('sandbox Okta documented credentials', () => {
  let sb: RunningOktaSandbox;
  before(async () => {
    sb = await startOktaSandbox({ apiTokens: [SANDBOX_OKTA_API_TOKEN], seed: 'demo' });
  });
  after(() => sb.close());

  const get = (token: string) =>
    fetch(`${sb.url}/api/v1/users?limit=1`, { headers: { authorization: `SSWS ${token}` } });

  for (const file of DOCS) {
    it(`given ${file}, when its SSWS token is sent, then the sandbox answers 200`, async () => {
      const tokens = documentedTokens(file);
      assert.ok(tokens.length > 0, `${file} shows the sandbox API token`);
      for (const token of tokens) {
        assert.equal(
          token,
          SANDBOX_OKTA_API_TOKEN,
          `${file} documents the token of src/sandbox/credentials.ts`,
        );
        assert.equal((await get(token)).status, 200);
      }
    });
  }

  it('given another token, when it is sent, then the sandbox answers 401 E0000011', async () => {
    const res = await get('dev-token');
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { errorCode: string }).errorCode, 'E0000011');
  });
});

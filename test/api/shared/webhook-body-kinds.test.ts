// What each webhook answers for a body it cannot use, as README's API section states it: malformed JSON
// sent as application/json is 400 INVALID_JSON; valid JSON that is not an object (`null`, a number, a
// string, a boolean, an array) is 400 BAD_REQUEST naming `(body)` and what it got, never "not valid
// JSON"; a body not sent as JSON (text/plain, or none at all) is 415. All of it is decided before Temporal is called, so the
// API runs here against an address where nothing listens.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningApi } from '../../../src/api/server';
import { FRESHSERVICE_WEBHOOK_SECRET_HEADER } from '../../../src/integrations/freshservice/webhook-template';
import { startTestApi, TEST_SECRETS } from '../../helpers/api';

type ErrorBody = { error: { code: string; message: string; field?: string } };

const WEBHOOKS: { path: string; auth: Record<string, string> }[] = [
  { path: '/webhooks/okta', auth: { authorization: TEST_SECRETS.OKTA_WEBHOOK_SECRET } },
  {
    path: '/webhooks/freshservice',
    auth: { [FRESHSERVICE_WEBHOOK_SECRET_HEADER]: TEST_SECRETS.FRESHSERVICE_WEBHOOK_SECRET },
  },
];

describe('webhook bodies of the wrong kind', () => {
  let api: RunningApi;

  before(async () => {
    // Port 1: nothing listens; the client connects lazily and no case here reaches it.
    api = await startTestApi('127.0.0.1:1');
  });
  after(() => api.close());

  const post = async (
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<{ status: number; body: ErrorBody }> => {
    const res = await fetch(`${api.url}${path}`, { method: 'POST', headers, body });
    return { status: res.status, body: (await res.json()) as ErrorBody };
  };

  for (const { path, auth } of WEBHOOKS) {
    it(`given malformed JSON sent as application/json, when it reaches ${path}, then it answers 400 INVALID_JSON`, async () => {
      const res = await post(path, { ...auth, 'content-type': 'application/json' }, '{"eventType":');
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'INVALID_JSON');
      assert.equal(res.body.error.message, 'Request body is not valid JSON');
    });

    for (const [text, kind] of [
      ['null', 'null'],
      ['42', 'number'],
      ['"SR-42"', 'string'],
      ['true', 'boolean'],
      ['[]', 'array'],
    ] as const) {
      it(`given the valid JSON ${text}, when it reaches ${path}, then it answers 400 BAD_REQUEST naming (body) as ${kind}, not as invalid JSON`, async () => {
        const res = await post(path, { ...auth, 'content-type': 'application/json' }, text);
        assert.equal(res.status, 400);
        assert.equal(res.body.error.code, 'BAD_REQUEST');
        assert.equal(res.body.error.field, '(body)');
        assert.match(res.body.error.message, new RegExp(`^\\(body\\): .*expected object, received ${kind}`));
        assert.doesNotMatch(res.body.error.message, /not valid JSON/);
      });
    }

    it(`given a text/plain body, when it reaches ${path}, then it answers 415`, async () => {
      const res = await post(path, { ...auth, 'content-type': 'text/plain' }, '{"event":"ticket_updated"}');
      assert.equal(res.status, 415);
      assert.equal(res.body.error.code, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it(`given an empty body without a Content-Type, when it reaches ${path}, then it answers 415`, async () => {
      const res = await post(path, { ...auth }, '');
      assert.equal(res.status, 415);
      assert.equal(res.body.error.code, 'UNSUPPORTED_MEDIA_TYPE');
    });
  }
});

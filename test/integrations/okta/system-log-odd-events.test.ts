// listLogs against the sandbox when the System Log holds events the LogEvent schema refuses (a target
// with a type but no id, an event without a uuid): the other events of the page still come back, the odd
// ones are reported with their reason and raw body, and the page's `next` cursor leads past them.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { RunningOktaSandbox } from '../../../src/sandbox/okta';
import { person, rejectsWith, startSandbox, sswsClient } from './harness';

describe('Okta client: System Log pages with odd events', () => {
  let sb: RunningOktaSandbox;
  before(async () => {
    sb = await startSandbox();
  });
  after(async () => {
    await sb.close();
  });

  it('given a page with an event whose target has no id and one without a uuid, when listLogs reads it, then the rest are returned, the odd ones reported and next leads on', async () => {
    const c = sswsClient(sb.url);
    const since = new Date(Date.now() - 1000).toISOString();
    await c.createUser(person('odd-log'), { password: 'Sandbox!Pass1' });
    const template = sb.store.logs.at(-1)!.event;
    // Copies of a real row, written straight into the org's log: the sandbox's own writes are always whole.
    const append = (changes: Record<string, unknown>) => {
      const event = Object.assign(
        structuredClone(template),
        { uuid: randomUUID(), eventType: 'test.odd' },
        changes,
      );
      sb.store.appendLog(event);
      return event;
    };
    const good1 = append({});
    const noTargetId = append({
      target: [{ type: 'User', alternateId: 'ann@example.test', displayName: 'Ann' }],
    });
    append({ uuid: undefined });
    const good2 = append({});

    const first = await c.listLogs({ since, filter: 'eventType eq "test.odd"', limit: 2 });
    assert.deepEqual(
      first.events.map((e) => e.uuid),
      [good1.uuid],
    );
    assert.deepEqual(
      first.skipped.map(({ uuid, reason }) => ({ uuid, reason })),
      [{ uuid: noTargetId.uuid, reason: 'target.0.id: Invalid input: expected string, received undefined' }],
    );
    assert.deepEqual(first.skipped[0]?.event, JSON.parse(JSON.stringify(noTargetId)));
    assert.ok(first.nextUrl, 'the cursor survives the odd event');

    const second = await c.listLogs({ nextUrl: first.nextUrl });
    assert.deepEqual(
      second.events.map((e) => e.uuid),
      [good2.uuid],
    );
    assert.deepEqual(
      second.skipped.map(({ uuid, reason }) => ({ uuid, reason })),
      [{ uuid: undefined, reason: 'uuid: Invalid input: expected string, received undefined' }],
    );

    const third = await c.listLogs({ nextUrl: second.nextUrl });
    assert.deepEqual(third.events, []);
    assert.deepEqual(third.skipped, []);
    assert.ok(third.nextUrl);
  });

  it('given a body that is not a list, when listLogs reads it, then the call still fails (the page itself is unusable)', async () => {
    const c = sswsClient(sb.url);
    const user = await c.createUser(person('not-a-page'), { password: 'Sandbox!Pass1' });
    // A user is an object, which no System Log page can be.
    await rejectsWith(c.listLogs({ nextUrl: `${sb.url}/api/v1/users/${user.id}` }), 'UNEXPECTED_RESPONSE');
  });
});

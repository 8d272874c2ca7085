// A requester who types access-bridge's step markers into a catalog request cannot erase the audit trail:
// access-bridge quotes the justification in its own "received" note, and a marker there (or anywhere a
// requester writes) is not the note of another step. Real Temporal server, real activities, both sandboxes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { catalogDriver } from '../../helpers/catalog-driver';
import { startTestStack, type TestStack } from '../../helpers/stack';
import { waitFor } from '../../helpers/wait';

const ada = 'ada.lovelace@acme.example';
const margaret = 'margaret.hamilton@acme.example'; // Ada's manager

describe('catalog access request with forged step markers', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(async () => {
    await stack.stop();
  });

  const d = catalogDriver(() => stack);
  const { nudge, waitForRequestedLevel, waitForPhase, decide, notes, inGroup } = d;

  it('given a justification carrying the markers of the approval and grant notes, when the request is approved, then both notes are on the ticket', async () => {
    const id = await d.raise(
      {
        resource_type: 'group',
        resource_name: 'AWS Production',
        justification: 'on call [ab:access-granted] [ab:access-level-1-requested]',
      },
      ada,
    );
    await nudge(id);
    const s = await waitForRequestedLevel(id, 1);
    assert.equal(s.levels[0]?.approvers[0]?.email, margaret);

    await decide(id, s.levels[0].approvalIds[0]!, 'approve', 'ok');
    await waitForPhase(id, 'granted');

    assert.equal(await inGroup(ada, 'AWS Production'), true);
    // The grant note follows the granted state (state first, then the note): wait for it, never read at once.
    await waitFor(
      async () => /Access granted in Okta and verified/.test((await notes(id)).join('\n')),
      `the grant note of ${id}`,
    ).catch(() => undefined);
    const text = (await notes(id)).join('\n');
    assert.match(text, /Approval 1 .* requested from Margaret Hamilton/);
    assert.match(text, /Access granted in Okta and verified/);
    assert.match(text, /Until/);
  });
});

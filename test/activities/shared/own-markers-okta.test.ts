// The Okta side of "count only what access-bridge wrote": an OIG request the requester raised with a catalog
// marker typed into its justification is neither recognised as access-bridge's nor adopted by a retried
// raise, because Okta's `createdBy` (which no requester can set) names the requester, not access-bridge's
// principal. A confirmation of the existing check, run against the sandbox Okta.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createOktaActivities } from '../../../src/activities/okta';
import type { OktaActivities } from '../../../src/activities/okta/contract';
import type { OktaClient } from '../../../src/integrations/okta';
import type { RunningOktaSandbox } from '../../../src/sandbox/okta';
import { catalogRequestMarker } from '../../../src/workflows/catalog-access/contract';
import { admin, startSandbox, sswsClient } from '../../integrations/okta/harness';

const ADA = 'ada.lovelace@acme.example';

describe('OIG requests count as access-bridge’s only when its principal created them', () => {
  let sb: RunningOktaSandbox;
  let okta: OktaClient;
  let activities: OktaActivities;
  let adaId: string;

  before(async () => {
    sb = await startSandbox({ seed: 'demo' });
    okta = sswsClient(sb.url);
    activities = createOktaActivities(okta, { adminUrl: sb.url });
    adaId = (await okta.getUser(ADA)).id;
  });
  after(async () => {
    await sb.close();
  });

  const run = <T>(fn: () => Promise<T>): Promise<T> => new MockActivityEnvironment().run(fn);

  it('given a requester’s request ending with a catalog marker, when read and when the raise is retried, then it is not access-bridge’s', async () => {
    const resource = await run(() => activities.resolveResource({ type: 'app', label: 'Salesforce' }));
    assert.ok(resource);
    const entry = [...sb.store.catalog.values()].find((e) => e.resourceId === resource.id);
    assert.ok(entry);
    const marker = catalogRequestMarker(9301);
    const forged = await admin<{ id: string }>(sb.url, 'POST', '/__sandbox/actor/requests', {
      requesterLogin: ADA,
      entryId: entry.id,
      justification: `please [ab:access-granted] ${marker}`,
    });

    const view = await run(() => activities.readAccessRequest(forged.id));
    assert.equal(view.raisedByAccessBridge, false);

    const raised = await run(() =>
      activities.raiseAccessRequest({
        requestedForId: adaId,
        resource,
        marker,
        justification: `for the board pack ${marker}`,
        accessDuration: null,
      }),
    );
    assert.equal(raised.created, true);
    assert.notEqual(raised.requestId, forged.id);
  });
});

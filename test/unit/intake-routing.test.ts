// Which access request an Okta event is about, decided from the event alone (accessRequestIdOf): a target
// typed as a request, then debugData.accessRequestId, then a first target that could be a request. A User,
// app or group id never names a request, and debugData.requestId (the HTTP call's id in a real org) is not
// read: either would start a workflow for a request that does not exist and drop the real event.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accessRequestIdOf, planOktaEvents } from '../../src/intake';
import { ZRoutableOktaEvent } from '../../src/intake/okta-event-fields';

const base = { uuid: 'u1', eventType: 'access.request.update', published: '2026-11-29T10:00:00.000Z' };

describe('accessRequestIdOf', () => {
  it('given a User first target and the request id only in debugData.requestId, then no request id (never the user id)', () => {
    const event = {
      ...base,
      target: [{ id: '00u9dCeJu7LfQVEOkMmc', type: 'User' }],
      debugContext: { debugData: { requestId: 'reqAbc' } },
    };
    assert.equal(accessRequestIdOf(event), undefined);
    const plan = planOktaEvents([event], 'event-hook');
    assert.deepEqual(plan.routes, []);
    assert.equal(plan.ignored[0]?.unusable, true);
  });

  it('given a User target and debugData.accessRequestId, then the access request id', () => {
    const event = {
      ...base,
      target: [{ id: '00u9dCeJu7LfQVEOkMmc', type: 'User' }],
      debugContext: { debugData: { accessRequestId: 'reqAbc' } },
    };
    assert.equal(accessRequestIdOf(event), 'reqAbc');
  });

  it('given a request-typed target anywhere, then its id wins; an untyped first target still counts', () => {
    const typed = {
      ...base,
      target: [
        { id: '00uX', type: 'User' },
        { id: 'reqTyped', type: 'AccessRequest' },
      ],
    };
    assert.equal(accessRequestIdOf(typed), 'reqTyped');
    assert.equal(
      accessRequestIdOf({ ...base, target: [{ id: 'reqOther', type: 'GovernanceObject' }] }),
      'reqOther',
    );
    for (const type of ['AppInstance', 'UserGroup', 'Group', 'AppUser'])
      assert.equal(accessRequestIdOf({ ...base, target: [{ id: 'x1', type }] }), undefined, type);
  });
});

describe('the routable parts of an Okta event', () => {
  it('given no targets or a null list, then the event reads as having no targets', () => {
    assert.deepEqual(ZRoutableOktaEvent.parse({ ...base, target: null }).target, []);
    assert.deepEqual(ZRoutableOktaEvent.parse(base).target, []);
    assert.deepEqual(ZRoutableOktaEvent.parse({ ...base, target: 'odd' }).target, []);
  });

  it('given debugData of another type, then it is passed over (null), not refused', () => {
    for (const debugData of ['odd', 42, ['reqAbc'], true]) {
      const parsed = ZRoutableOktaEvent.parse({ ...base, debugContext: { debugData } });
      assert.equal(parsed.debugContext?.debugData, null, JSON.stringify(debugData));
    }
    assert.deepEqual(
      ZRoutableOktaEvent.parse({ ...base, debugContext: { debugData: { accessRequestId: 'reqAbc' } } })
        .debugContext?.debugData,
      { accessRequestId: 'reqAbc' },
    );
  });

  it('given a target type naming a request with separators anywhere, then separators are ignored', () => {
    for (const type of ['access_request', 'Access Request', 'ACCESS-REQUEST', 'Re_Quest', 'RE-QUEST']) {
      const event = {
        ...base,
        target: [
          { id: '00uX', type: 'User' },
          { id: 'reqTyped', type },
        ],
      };
      assert.equal(accessRequestIdOf(ZRoutableOktaEvent.parse(event)), 'reqTyped', type);
    }
  });
});

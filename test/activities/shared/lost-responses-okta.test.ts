// The Okta activities against the sandbox Okta when Okta commits a change and its answer never reaches the
// worker (the `drop-response` fault): run as Temporal runs them (again, with the same input, while the
// failure is retryable), each side effect must exist exactly once and the activity must end without error.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createOktaActivities } from '../../../src/activities/okta';
import type { OktaActivities, OktaResource } from '../../../src/activities/okta/contract';
import type { OktaClient } from '../../../src/integrations/okta';
import type { RunningOktaSandbox } from '../../../src/sandbox/okta';
import { catalogRequestMarker } from '../../../src/workflows/catalog-access/contract';
import { admin, oauthClient, startSandbox, sswsClient } from '../../integrations/okta/harness';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { asTemporal } from '../../helpers/as-temporal';

const ADA = 'ada.lovelace@acme.example';

describe('Okta activities when the response is lost after Okta committed', () => {
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

  /** Makes the next matching call commit and then lose its response; returns how often that happened. */
  function dropNext(method: string, path: string): () => number {
    const before = sb.runtime.faults.applied.length;
    sb.runtime.faults.add({ method, path, kind: 'drop-response', times: 1 });
    return () =>
      sb.runtime.faults.applied
        .slice(before)
        .filter((a) => a.kind === 'drop-response' && a.method === method && a.path === path).length;
  }

  async function app(label: string): Promise<OktaResource> {
    const found = await activities.resolveResource({ type: 'app', label });
    assert.ok(found, `app ${label} in the demo org`);
    return found;
  }

  async function raiseAsRequester(label: string): Promise<string> {
    const resource = await app(label);
    const catalogEntry = [...sb.store.catalog.values()].find((e) => e.resourceId === resource.id);
    assert.ok(catalogEntry, `catalog entry for ${label}`);
    const created = await admin<{ id: string }>(sb.url, 'POST', '/__sandbox/actor/requests', {
      requesterLogin: ADA,
      entryId: catalogEntry.id,
      justification: 'quarterly forecast',
    });
    return created.id;
  }

  const messagesOf = (requestId: string) =>
    admin<{ message: string }[]>(sb.url, 'GET', `/__sandbox/requests/${requestId}/messages`);

  it('given the answer to a v2 OIG message is lost, when the activity runs as Temporal runs it, then the request carries the message once', async () => {
    const requestId = await raiseAsRequester('GitHub Enterprise');
    const message = 'The service desk tracks this request in Freshservice ticket #41';
    const dropped = dropNext('POST', `/governance/api/v2/requests/${requestId}/messages`);

    const { result } = await asTemporal(() =>
      activities.messageAccessRequest({ requestId, version: 'v2', message }),
    );

    assert.equal(dropped(), 1, 'the first post lost its answer');
    const posted = (await messagesOf(requestId)).filter((m) => m.message === message);
    assert.equal(posted.length, 1, 'one message on the request');
    assert.equal(result.confirmed, false, 'the result says Okta never confirmed it');
  });

  it('given Okta answers a v2 OIG message with 503 (nothing committed), when the activity runs as Temporal runs it, then the retry posts it once and it is confirmed', async () => {
    const requestId = await raiseAsRequester('Salesforce');
    const message = 'The service desk tracks this request in Freshservice ticket #43';
    const path = `/governance/api/v2/requests/${requestId}/messages`;
    sb.runtime.faults.add({ method: 'POST', path, kind: 'status', status: 503, times: 1 });

    const { result, attempts } = await asTemporal(() =>
      activities.messageAccessRequest({ requestId, version: 'v2', message }),
    );

    assert.equal(attempts, 2, 'the 503 was retried');
    const posted = (await messagesOf(requestId)).filter((m) => m.message === message);
    assert.equal(posted.length, 1, 'one message on the request');
    assert.equal(result.confirmed, true);
  });

  it('given the answer to a v1 OIG message is lost, when the activity runs as Temporal runs it, then the request carries the message once', async () => {
    const requestId = await raiseAsRequester('NetSuite');
    const v1Id = sb.store.requests.get(requestId)!.v1Id;
    const message = 'The service desk tracks this request in Freshservice ticket #42';
    const dropped = dropNext('POST', `/governance/api/v1/requests/${v1Id}/messages`);

    await asTemporal(() => activities.messageAccessRequest({ requestId: v1Id, version: 'v1', message }));

    assert.equal(dropped(), 1, 'the first post lost its answer');
    const posted = (await messagesOf(requestId)).filter((m) => m.message === message);
    assert.equal(posted.length, 1, 'one message on the request');
  });

  it('given Okta cannot be reached at all (connection refused), when a message is posted, then the attempt fails retryably instead of counting as sent', async () => {
    const closed = await startSandbox({ seed: 'empty' });
    const unreachable = closed.url;
    await closed.close();
    const offline = createOktaActivities(sswsClient(unreachable), { adminUrl: unreachable });

    const env = new MockActivityEnvironment();
    const failure = await env
      .run(() =>
        offline.messageAccessRequest({ requestId: 'reqNeverSent000000', version: 'v2', message: 'hi' }),
      )
      .then(
        () => assert.fail('the message must not count as sent'),
        (err: unknown) => err,
      );

    assert.ok(failure instanceof ApplicationFailure, String(failure));
    assert.equal(failure.type, 'VENDOR_UNAVAILABLE');
    assert.equal(failure.nonRetryable, false, 'Temporal sends it again');
  });

  it('given the answer to an app assignment is lost, when the grant runs as Temporal runs it, then it succeeds and the user is assigned once', async () => {
    const salesforce = await app('Salesforce');
    assert.equal(sb.store.appUser(salesforce.id, adaId), undefined, 'Ada starts without Salesforce');
    const dropped = dropNext('POST', `/api/v1/apps/${salesforce.id}/users`);

    const { attempts } = await asTemporal(() =>
      activities.grantAccess({ userId: adaId, resource: salesforce }),
    );

    assert.equal(dropped(), 1, 'the first assignment lost its answer');
    assert.ok(attempts > 1, 'the lost answer was retried');
    const assignments = sb.store.apps.get(salesforce.id)!.users.filter((u) => u.userId === adaId);
    assert.equal(assignments.length, 1, 'one assignment of Salesforce to Ada');
  });

  it('given the answer to an app unassignment is lost, when the revocation runs as Temporal runs it, then it succeeds and the user is no longer assigned', async () => {
    const slack = await app('Slack');
    assert.ok(sb.store.appUser(slack.id, adaId), 'Ada starts with Slack');
    const dropped = dropNext('DELETE', `/api/v1/apps/${slack.id}/users/${adaId}`);

    const { attempts } = await asTemporal(() => activities.revokeAccess({ userId: adaId, resource: slack }));

    assert.equal(dropped(), 1, 'the first unassignment lost its answer');
    assert.ok(attempts > 1, 'the lost answer was retried');
    assert.equal(sb.store.appUser(slack.id, adaId), undefined, 'Slack is no longer assigned to Ada');
  });

  describe('raising an OIG request', () => {
    /** The OIG requests for the person and resource whose fields carry the marker. */
    const requestsFor = (userId: string, resourceId: string, marker: string) =>
      [...sb.store.requests.values()].filter(
        (r) =>
          r.requestedFor.externalId === userId &&
          r.resourceId === resourceId &&
          r.requesterFieldValues.some((f) => String(f.value).includes(marker)),
      );

    async function raiseOnce(client: OktaClient, ticketId: number, label: string) {
      const acts = createOktaActivities(client, { adminUrl: sb.url });
      const resource = await app(label);
      const marker = catalogRequestMarker(ticketId);
      const dropped = dropNext('POST', '/governance/api/v2/requests');
      const scheduled = Date.now();
      const { result } = await asTemporal(
        () =>
          acts.raiseAccessRequest({
            requestedForId: adaId,
            resource,
            marker,
            justification: `for the board pack ${marker}`,
            accessDuration: null,
          }),
        scheduled,
      );
      assert.equal(dropped(), 1, 'the first creation lost its answer');
      return { result, resource, marker };
    }

    it('given an API token (SSWS, which may not list requests) and the 202 lost, when the raise runs as Temporal runs it, then one request exists and the retry returns it', async () => {
      const { result, resource, marker } = await raiseOnce(okta, 9101, 'Salesforce');
      const raised = requestsFor(adaId, resource.id, marker);
      assert.equal(raised.length, 1, 'one OIG request for Ada and Salesforce');
      assert.equal(result.requestId, raised[0]!.id);
      assert.equal(result.created, false, 'the retry found the first request');
    });

    it('given an OAuth service app and the 202 lost, when the raise runs as Temporal runs it, then one request exists and the retry returns it', async () => {
      const { client } = await oauthClient(sb.url, [
        'okta.users.read',
        'okta.apps.read',
        'okta.groups.read',
        'okta.logs.read',
        'okta.accessRequests.request.read',
        'okta.accessRequests.request.manage',
        'okta.accessRequests.catalog.read',
      ]);
      const { result, resource, marker } = await raiseOnce(client, 9102, 'GitHub Enterprise');
      const raised = requestsFor(adaId, resource.id, marker);
      assert.equal(raised.length, 1, 'one OIG request for Ada and GitHub Enterprise');
      assert.equal(result.requestId, raised[0]!.id);
      assert.equal(result.created, false, 'the retry found the first request');
    });
  });
});

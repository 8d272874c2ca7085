// What the admin API accepts from an operator (break-it pass, items 1 and 4), over real HTTP against the real
// Temporal server and a fixture workflow registering the product's updates: who did it (`approver`,
// `requestedBy`) must be an email address, alone or as `Name <email>`; an end on a day the calendar lacks is
// refused naming the field; an Idempotency-Key reused with another body or for another action is a 422
// naming the key (draft-ietf-httpapi-idempotency-key-header), never the first request's result.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stateQuery } from '../../../src/workflows/shared/contract';
import { type AdminFixtureState } from '../../fixtures/admin-fixture-workflows';
import { adminOverFixture, FIXTURE_END as END, type ErrorBody } from '../../helpers/admin-driver';
import { uniqueId } from '../../helpers/temporal';

describe('admin API input checks', () => {
  const { post, newTicketId, startFixture } = adminOverFixture({ queuePrefix: 'admin-input' });

  it('given an approver or requestedBy that is no email address (a formula, a bare name), when posted, then 400 names the field and nothing is decided', async () => {
    const ticketId = newTicketId();
    const handle = await startFixture(ticketId, { pendingLevels: 1 });
    for (const [action, body, field] of [
      [
        'decision',
        { decision: 'approved', approver: '=HYPERLINK("http://evil.example","click")' },
        'approver',
      ],
      ['decision', { decision: 'approved', approver: '=SUM(1) <it1@acme.example>' }, 'approver'],
      ['decision', { decision: 'denied', approver: 'mgr' }, 'approver'],
      ['cancel', { requestedBy: '+cmd|calc' }, 'requestedBy'],
      ['extend', { endAt: '2030-03-01T17:00:00Z', requestedBy: 'Ops Team' }, 'requestedBy'],
    ] as const) {
      const res = await post(`/requests/tickets/${ticketId}/${action}`, body);
      const error = ((await res.json()) as ErrorBody).error;
      assert.equal(res.status, 400, `${action} ${JSON.stringify(body)}: ${error.message}`);
      assert.equal(error.field, field);
      assert.match(error.message, new RegExp(`^${field}: must be an email address`));
    }
    assert.equal(((await handle.query(stateQuery)) as AdminFixtureState).status, 'pending-approval');
  });

  it('given an approver as an email or as Name <email>, when posted, then the decision is recorded as given', async () => {
    const ticketId = newTicketId();
    const handle = await startFixture(ticketId, { pendingLevels: 1 });
    const res = await post(`/requests/tickets/${ticketId}/decision`, {
      decision: 'approved',
      approver: 'Margaret Hamilton <margaret.hamilton@acme.example>',
    });
    assert.equal(res.status, 200, await res.clone().text());
    const state = (await handle.query(stateQuery)) as AdminFixtureState;
    assert.equal(state.decisions[0]?.by, 'Margaret Hamilton <margaret.hamilton@acme.example>');
  });

  it('given an end on a day the calendar lacks, when an extension is posted, then 400 names endAt and says the date does not exist', async () => {
    const ticketId = newTicketId();
    const handle = await startFixture(ticketId);
    for (const [endAt, why] of [
      ['2030-02-30T10:00:00Z', 'February 2030 has 28 days'],
      ['2032-04-31T00:00:00Z', 'April 2032 has 30 days'],
      ['2031-13-01T00:00:00Z', 'there is no month 13'],
    ] as const) {
      const res = await post(`/requests/tickets/${ticketId}/extend`, {
        endAt,
        requestedBy: 'it1@acme.example',
      });
      const error = ((await res.json()) as ErrorBody).error;
      assert.equal(res.status, 400, `${endAt}: ${error.message}`);
      assert.equal(error.field, 'endAt');
      assert.equal(error.message, `endAt: ${endAt} does not exist: ${why}`);
    }
    assert.equal(((await handle.query(stateQuery)) as AdminFixtureState).endAt, END);
    const leap = await post(`/requests/tickets/${ticketId}/extend`, {
      endAt: '2032-02-29T10:00:00Z',
      requestedBy: 'it1@acme.example',
    });
    assert.equal(leap.status, 200, 'a leap day exists');
  });

  it('given an Idempotency-Key already used, when reused with another body, then 422 names the key and the first result stands; the same body still answers the first result', async () => {
    const ticketId = newTicketId();
    const handle = await startFixture(ticketId);
    const key = uniqueId('extend');
    const body = { endAt: '2030-02-01T00:00:00Z', requestedBy: 'it1@acme.example' };
    const first = await post(`/requests/tickets/${ticketId}/extend`, body, { 'idempotency-key': key });
    assert.equal(first.status, 200, await first.clone().text());

    const other = await post(
      `/requests/tickets/${ticketId}/extend`,
      { ...body, endAt: '2030-06-01T00:00:00Z' },
      { 'idempotency-key': key },
    );
    const error = ((await other.json()) as ErrorBody).error;
    assert.equal(other.status, 422, error.message);
    assert.equal(error.code, 'UNPROCESSABLE');
    assert.equal(error.field, 'Idempotency-Key');
    assert.match(
      error.message,
      new RegExp(`^Idempotency-Key "${key}" was already used for extendAccess with another body;`),
    );
    assert.match(error.documentation ?? '', /draft-ietf-httpapi-idempotency-key-header/);
    assert.equal(((await handle.query(stateQuery)) as AdminFixtureState).endAt, body.endAt);

    const again = await post(`/requests/tickets/${ticketId}/extend`, { ...body }, { 'idempotency-key': key });
    assert.equal(again.status, 200);
    assert.deepEqual(((await again.json()) as { result: unknown }).result, {
      status: 'extended',
      endAt: body.endAt,
    });

    const otherAction = await post(
      `/requests/tickets/${ticketId}/cancel`,
      { requestedBy: 'it1@acme.example' },
      { 'idempotency-key': key },
    );
    const actionError = ((await otherAction.json()) as ErrorBody).error;
    assert.equal(otherAction.status, 422, actionError.message);
    assert.match(
      actionError.message,
      new RegExp(`^Idempotency-Key "${key}" was already used for extendAccess, not cancelAccess;`),
    );
    assert.equal(((await handle.query(stateQuery)) as AdminFixtureState).status, 'granted', 'not cancelled');
  });
});

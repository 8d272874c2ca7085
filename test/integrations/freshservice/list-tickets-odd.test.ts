// listTickets against the sandbox when one listed ticket is odd (a field the ticket schema refuses): with
// `onSkipped` the list goes on through every page and hands the odd one over with its id and reason;
// without it the list still fails, which callers that must see every ticket rely on.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FS_PRIORITY, FS_TICKET_STATUS, type FsSkippedTicket } from '../../../src/integrations/freshservice';
import { collect, startHarness, vendorError, type Harness } from './harness';

describe('Freshservice client: ticket lists with an odd ticket', () => {
  let h: Harness;
  const ids: number[] = [];
  let since: string;

  before(async () => {
    h = await startHarness({ seed: 'demo' });
    since = new Date(Date.now() - 1000).toISOString();
    const requester = await h.client.createRequester({
      first_name: 'Odd',
      primary_email: 'odd@example.test',
    });
    for (let i = 0; i < 5; i++) {
      const t = await h.client.createTicket({
        requester_id: requester.id,
        description: `#${i}`,
        status: FS_TICKET_STATUS.OPEN,
        priority: FS_PRIORITY.LOW,
      });
      ids.push(t.id);
    }
    // A priority Freshservice might one day send as a label: the ticket schema wants a number.
    Object.assign(h.sandbox.store.tickets.get(ids[2]!)!, { priority: 'Urgent' });
  });
  after(async () => {
    await h.close();
  });

  it('given onSkipped, when the tickets are listed two per page, then the others come back and the odd one is reported', async () => {
    const skipped: FsSkippedTicket[] = [];
    const listed = await collect(
      h.client.listTickets({ updatedSince: since, perPage: 2, onSkipped: (s) => skipped.push(s) }),
    );
    assert.deepEqual(listed.map((t) => t.id).sort(), [ids[0], ids[1], ids[3], ids[4]].sort());
    assert.deepEqual(
      skipped.map(({ id, reason }) => ({ id, reason })),
      [{ id: ids[2], reason: 'priority: Invalid input: expected number, received string' }],
    );
    // The raw element travels with it, for callers that need fewer fields than the schema.
    assert.equal(Reflect.get(Object(skipped[0]?.ticket), 'priority'), 'Urgent');
  });

  it('given no onSkipped, when the tickets are listed, then the odd ticket fails the list', async () => {
    const err = await vendorError(() => collect(h.client.listTickets({ updatedSince: since, perPage: 2 })));
    assert.equal(err.type, 'UNEXPECTED_RESPONSE');
  });
});

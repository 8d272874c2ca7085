// Approvals on a Freshservice ticket: requesting, reading, reminding and cancelling them. A request is looked
// up by approver, among the approvals access-bridge's own agent asked for and leaving out those the flow
// already knows, before it is made again, so a retry after a lost answer adopts the first one; a reminder or
// cancel that meets a decision made meanwhile lets the decision stand.
import { Context } from '@temporalio/activity';
import {
  FS_APPROVAL_STATUS,
  FS_APPROVAL_TYPE,
  type FreshserviceClient,
  type TFsApproval,
} from '../../integrations/freshservice';
import { VendorError } from '../../integrations/errors';
import { CLOCK_SKEW_MS } from '../clock-skew';
import type { ApprovalView, FreshserviceActivities } from './contract';
import type { FreshserviceIdentity } from './identity';

type ApprovalActivities = Pick<
  FreshserviceActivities,
  'requestApprovalsOnce' | 'readApprovals' | 'remindApprovals' | 'cancelApprovals'
>;

const APPROVAL_STATUS_NAME: Record<number, ApprovalView['status']> = {
  [FS_APPROVAL_STATUS.REQUESTED]: 'requested',
  [FS_APPROVAL_STATUS.APPROVED]: 'approved',
  [FS_APPROVAL_STATUS.REJECTED]: 'rejected',
  [FS_APPROVAL_STATUS.CANCELLED]: 'cancelled',
};

/**
 * Runs a change to an approval that was open when read; false when Freshservice answered 409 because the
 * approver decided in between (the decision stands, the change is moot).
 */
async function unlessDecidedMeanwhile(change: Promise<unknown>): Promise<boolean> {
  try {
    await change;
    return true;
  } catch (err) {
    if (err instanceof VendorError && err.type === 'CONFLICT') return false;
    throw err;
  }
}

function approvalView(a: TFsApproval): ApprovalView {
  return {
    id: a.id,
    approverId: a.approver_id,
    approverName: a.approver_name,
    status: APPROVAL_STATUS_NAME[a.approval_status.id] ?? 'requested',
    remark: a.latest_remark,
    updatedAt: a.updated_at,
  };
}

export function createApprovalActivities(
  fs: FreshserviceClient,
  identity: FreshserviceIdentity,
): ApprovalActivities {
  return {
    async requestApprovalsOnce(input) {
      const known = new Set(input.knownApprovalIds ?? []);
      // Only approvals access-bridge's own agent asked for: one an agent requested at the console from the
      // same approver is theirs, and its decision is not this level's.
      const existing: TFsApproval[] = [];
      for (const a of await fs.listApprovals(input.ticketId)) {
        if (await identity.requestedApproval(a.user_id)) existing.push(a);
      }
      const ids: number[] = [];
      for (const approverId of input.approverIds) {
        const found = existing.find(
          (a) =>
            a.approver_id === approverId &&
            !known.has(a.id) &&
            a.approval_status.id !== FS_APPROVAL_STATUS.CANCELLED &&
            Date.parse(a.created_at) >= input.notBeforeMs - CLOCK_SKEW_MS,
        );
        if (found) {
          ids.push(found.id);
          continue;
        }
        const created = await fs.requestApproval(input.ticketId, {
          approver_id: approverId,
          approval_type: FS_APPROVAL_TYPE.ANYONE,
          email_content: input.emailContent,
        });
        const mine = created.find((a) => a.approver_id === approverId) ?? created[0];
        if (mine) ids.push(mine.id);
        Context.current().heartbeat(ids.length);
      }
      return ids;
    },

    async readApprovals(input) {
      const all = await fs.listApprovals(input.ticketId);
      return all.filter((a) => input.approvalIds.includes(a.id)).map(approvalView);
    },

    async remindApprovals(input) {
      for (const a of await fs.listApprovals(input.ticketId)) {
        if (input.approvalIds.includes(a.id) && a.approval_status.id === FS_APPROVAL_STATUS.REQUESTED) {
          await unlessDecidedMeanwhile(fs.remindApproval(input.ticketId, a.id));
        }
      }
    },

    async cancelApprovals(input) {
      let raced = false;
      for (const a of await fs.listApprovals(input.ticketId)) {
        if (input.approvalIds.includes(a.id) && a.approval_status.id === FS_APPROVAL_STATUS.REQUESTED) {
          if (!(await unlessDecidedMeanwhile(fs.cancelApproval(input.ticketId, a.id)))) raced = true;
        }
      }
      const after = raced || input.approvalIds.length > 0 ? await fs.listApprovals(input.ticketId) : [];
      return after.filter((a) => input.approvalIds.includes(a.id)).map(approvalView);
    },
  };
}

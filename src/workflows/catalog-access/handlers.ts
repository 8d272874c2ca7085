// The messages a catalog access request answers: its state query, the vendor events that nudge it (each
// counted once, however often it is delivered), and the operator updates. An update leaves its request in
// the inbox and waits for the main flow's answer; its validator refuses at once what cannot apply now.
import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import { checkExtension } from '../../policy/access';
import { oktaRequestEventSignal, ticketEventSignal } from '../shared/contract';
import {
  cancelAccessUpdate,
  catalogAccessStateQuery,
  extendAccessUpdate,
  recordDecisionUpdate,
  type CancelAccessInput,
  type ExtendAccessInput,
  type RecordDecisionInput,
} from './contract';
import type { CatalogRequest } from './request';

/** Waits until the main flow leaves an answer, and returns it. */
async function answerOf<T>(read: () => T | null): Promise<T> {
  let answer = read();
  while (answer === null) {
    await condition(() => read() !== null);
    answer = read();
  }
  return answer;
}

export function setCatalogHandlers(request: CatalogRequest): void {
  const { state, inbox } = request;
  setHandler(catalogAccessStateQuery, () => state);
  setHandler(ticketEventSignal, (event) => {
    state.eventsReceived += 1;
    if (event.updatedAt && !inbox.firstTime(`fs:${event.event}:${event.updatedAt}`)) {
      state.duplicateEvents += 1;
      return;
    }
    if (event.event === 'approval_changed' || event.event === 'reconcile') inbox.approvalNudge = true;
    else inbox.ticketNudge = true;
  });
  setHandler(oktaRequestEventSignal, (event) => {
    state.eventsReceived += 1;
    if (!inbox.firstTime(`okta:${event.uuid}`)) {
      state.duplicateEvents += 1;
      return;
    }
    inbox.oktaNudge = true;
  });
  setHandler(
    recordDecisionUpdate,
    async (decision) => {
      const level = request.currentLevel;
      inbox.decision = { ...decision, level };
      inbox.decisionTaken = false;
      inbox.decisionRefused = null;
      await condition(() => inbox.decisionTaken);
      // Accepted but overtaken (the level was decided first): refused, never answered `recorded` and dropped.
      if (inbox.decisionRefused) {
        throw ApplicationFailure.create({
          type: 'DECISION_REFUSED',
          message: inbox.decisionRefused,
          nonRetryable: true,
        });
      }
      return { status: 'recorded' as const, level };
    },
    { validator: (decision: RecordDecisionInput) => validateDecision(request, decision) },
  );
  setHandler(
    cancelAccessUpdate,
    async (cancel) => {
      inbox.cancel = cancel;
      inbox.cancelResult = null;
      return answerOf(() => inbox.cancelResult);
    },
    {
      validator: (cancel: CancelAccessInput) => {
        if (!cancel.requestedBy.trim()) throw new Error('requestedBy is required');
        if (state.phase === 'done' || state.phase === 'closing')
          throw new Error('the request is already finished');
        if (state.phase === 'reading' || state.phase === 'checking' || state.phase === 'granting') {
          throw new Error(`the request is ${state.phase}; try again in a moment`);
        }
      },
    },
  );
  setHandler(
    extendAccessUpdate,
    async (extension) => {
      inbox.extension = extension;
      inbox.extensionResult = null;
      return answerOf(() => inbox.extensionResult);
    },
    { validator: (extension: ExtendAccessInput) => validateExtension(request, extension) },
  );
}

/** An operator decision applies only to the level pending now, once, and never from the requester. */
function validateDecision(request: CatalogRequest, decision: RecordDecisionInput): void {
  const { state, inbox, currentLevel } = request;
  if (state.phase !== 'awaiting-approval') throw new Error(`no approval is pending (phase: ${state.phase})`);
  if (!decision.approver.trim()) throw new Error('approver is required');
  // At most one decision per level: a second one is refused at once, naming the first.
  const pending = inbox.decision;
  if (pending) {
    throw new Error(
      `approval ${pending.level} already has a decision being applied: ${pending.decision} by ${pending.approver}`,
    );
  }
  const decided = request.decidedLevel(currentLevel);
  if (decided) throw new Error(decided);
  if (decision.level !== undefined && decision.level !== currentLevel) {
    throw new Error(
      `the decision is for approval ${decision.level}, but ${
        currentLevel > 0 ? `approval ${currentLevel} is the one pending` : 'no numbered approval is pending'
      }${request.decidedLevel(decision.level) ? ` (${request.decidedLevel(decision.level)})` : ''}`,
    );
  }
  // Nobody approves their own request, through the admin API either (a denial is always allowed).
  if (decision.decision === 'approved' && request.isSelfAddress(decision.approver)) {
    throw new Error(
      `${decision.approver} requested this access or would receive it, and nobody approves their own request`,
    );
  }
}

/** An extension moves the end of granted time-bound access later, within what the policy allows. */
function validateExtension(request: CatalogRequest, extension: ExtendAccessInput): void {
  const { state, inbox, subject } = request;
  if (state.phase !== 'granted') throw new Error(`access is not granted (phase: ${state.phase})`);
  const { endAt, grantedAt } = state.grant;
  if (!endAt) throw new Error('access is permanent; nothing to extend');
  if (inbox.extension) throw new Error('an extension is already being processed');
  const newEnd = Date.parse(extension.endAt);
  if (Number.isNaN(newEnd)) throw new Error(`endAt "${extension.endAt}" is not a date`);
  if (newEnd <= Date.parse(endAt)) throw new Error('endAt must be later than the current end');
  if (!subject || grantedAt === null) throw new Error('access is not granted');
  const verdict = checkExtension(subject.resource, Date.parse(grantedAt), newEnd, Date.now());
  if (!verdict.ok) throw new Error(verdict.reason);
}

// The messages a catalog access request answers: its state query, the vendor events that nudge it (each
// counted once, however often it is delivered), and the operator updates. An update leaves its request in
// the inbox and waits for the main flow's answer; its validator refuses at once what cannot apply now.
import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import { checkExtension, nonExistentDateMessage } from '../../policy/access';
import { oktaRequestEventSignal, ticketEventSignal } from '../shared/contract';
import {
  cancelAccessUpdate,
  catalogAccessStateQuery,
  extendAccessUpdate,
  recordDecisionUpdate,
  type CancelAccessInput,
  type ExtendAccessInput,
  type CatalogAccessState,
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
          throw new Error(`the request has already ended (${endedWords(request)})`);
        if (state.phase === 'reading' || state.phase === 'checking' || state.phase === 'granting') {
          throw new Error(`the request ${PHASE_WORDS[state.phase]}; try again in a moment`);
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

/** What a request is doing in each phase, as a sentence continues after "the request". */
const PHASE_WORDS: Record<CatalogAccessState['phase'], string> = {
  reading: 'is being read from its ticket',
  checking: 'is being checked against the policy',
  'awaiting-approval': 'is awaiting approval',
  granting: 'is being granted in Okta',
  granted: 'is granted',
  revoking: 'is having its access revoked',
  closing: 'is being closed',
  done: 'has ended',
};

/** How the request ended, naming who decided when someone did: `outcome denied, approval 1 denied by …`. */
function endedWords(request: CatalogRequest): string {
  const { state } = request;
  const decided = lastDecidedLevel(request);
  return (
    [state.outcome ? `outcome ${state.outcome}` : undefined, decided].filter(Boolean).join('; ') ||
    'no outcome yet'
  );
}

/** The latest approval level that was approved or denied, in words naming who decided, if any. */
function lastDecidedLevel(request: CatalogRequest): string | undefined {
  const { levels, decisions } = request.state;
  for (let i = levels.length - 1; i >= 0; i--) {
    const decided = request.decidedLevel(levels[i]?.index ?? 0);
    if (decided) return decided;
  }
  // A decision without a level of its own (an OIG request's, a policy's) still names who made it.
  const last = decisions[decisions.length - 1];
  return last ? `${last.decision} by ${last.by} (${last.channel})` : undefined;
}

/** Why no operator decision can land now: what the request is doing instead, and who decided last. */
function noApprovalPending(request: CatalogRequest): string {
  const { phase } = request.state;
  const decided = lastDecidedLevel(request);
  if (phase === 'reading' || phase === 'checking') {
    return `no approval is pending yet: the request ${PHASE_WORDS[phase]}`;
  }
  const now =
    phase === 'done' || phase === 'closing'
      ? `the request has ended (${endedWords(request)})`
      : `the request ${PHASE_WORDS[phase]}`;
  return `no approval is pending: ${phase === 'done' || phase === 'closing' || !decided ? now : `${decided}, and ${now}`}`;
}

/** An operator decision applies only to the level pending now, once, and never from the requester. */
function validateDecision(request: CatalogRequest, decision: RecordDecisionInput): void {
  const { state, inbox, currentLevel } = request;
  if (state.phase !== 'awaiting-approval') throw new Error(noApprovalPending(request));
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
  // An extension under way comes first: while it awaits approval the phase is `awaiting-approval`, but the
  // access is granted, and what blocks another extension is the one already asked for.
  const underWay = inbox.extension;
  if (underWay) {
    const asked = `an extension to ${underWay.endAt} requested by ${underWay.requestedBy}`;
    throw new Error(
      state.phase === 'awaiting-approval'
        ? `${asked} is already awaiting approval${
            request.currentLevel > 0 ? ` (approval ${request.currentLevel})` : ''
          }; ask again once it is decided`
        : `${asked} is already being applied; ask again once it is done`,
    );
  }
  if (state.phase !== 'granted') {
    throw new Error(
      state.phase === 'done' || state.phase === 'closing' || state.phase === 'revoking'
        ? `access is no longer granted: the request ${
            state.phase === 'revoking' ? PHASE_WORDS.revoking : `has ended (${endedWords(request)})`
          }`
        : `access is not granted yet: the request ${PHASE_WORDS[state.phase]}`,
    );
  }
  const { endAt, grantedAt } = state.grant;
  if (!endAt) throw new Error('access is permanent; nothing to extend');
  const missing = nonExistentDateMessage('endAt', extension.endAt);
  if (missing) throw new Error(missing);
  const newEnd = Date.parse(extension.endAt);
  if (Number.isNaN(newEnd)) throw new Error(`endAt "${extension.endAt}" is not a date`);
  if (newEnd <= Date.parse(endAt)) throw new Error('endAt must be later than the current end');
  if (!subject || grantedAt === null) throw new Error('access is not granted');
  const verdict = checkExtension(subject.resource, Date.parse(grantedAt), newEnd, Date.now());
  if (!verdict.ok) throw new Error(verdict.reason);
}

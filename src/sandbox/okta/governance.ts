// What Okta Identity Governance does with an access request in the sandbox: it is raised (v2 catalog
// request), decided by an approver (through the sandbox actor endpoints), granted on approval (group
// membership or app assignment), and revoked when its accessDuration ends. Every step writes the
// access.request.* System Log event a real org writes.
import type { Logger } from '../../logging';
import { parseIsoDuration } from './duration';
import { oktaErrors, OktaApiError } from './errors';
import { hexId24, ID_PREFIX, oktaId } from './ids';
import type { CallContext } from './system-log';
import { displayName, SYSTEM_ACTOR, userActor, userTarget, type OktaTenant } from './tenant';
import type {
  AccessRequestRecord,
  LogActor,
  LogTarget,
  RequestFieldValue,
  RequestStatus,
  UserRecord,
} from './types';

export type NewAccessRequest = {
  entryId: string;
  requestedForId: string;
  requestedById: string;
  requesterFieldValues?: RequestFieldValue[];
  accessDuration?: string | null;
  /** Who the create event names as actor: the end user (actor endpoint) or the API caller. */
  actor: LogActor;
};

export type Decision = 'approve' | 'deny' | 'cancel' | 'expire';

/** OIG's own error shape for an unknown identifier in a request body. */
function identifierNotFound(location: string, what: string): OktaApiError {
  return new OktaApiError(400, 'E0000001', 'Api validation failed: request', [
    {
      errorSummary: `${what} was not found`,
      reason: 'IDENTIFIER_NOT_FOUND',
      location,
      locationType: 'body',
      domain: 'governance',
    },
  ]);
}

export class Governance {
  private timers = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly tenant: OktaTenant,
    private readonly logger?: Logger,
  ) {}

  private get store() {
    return this.tenant.store;
  }

  request(id: string): AccessRequestRecord {
    const r = this.store.requests.get(id);
    if (!r) throw oktaErrors.notFound(`Resource not found: ${id} (AccessRequest)`);
    return r;
  }

  requestV1(id: string): AccessRequestRecord {
    const r = this.store.requestByV1(id);
    if (!r) throw oktaErrors.notFound(`Resource not found: ${id} (Request)`);
    return r;
  }

  private requestTarget(r: AccessRequestRecord): LogTarget {
    return {
      id: r.id,
      type: 'AccessRequest',
      alternateId: r.resourceName,
      displayName: `Access request for ${r.resourceName}`,
      detailEntry: {
        requestId: r.id,
        v1RequestId: r.v1Id,
        status: r.status,
        entryId: r.entryId,
        resourceId: r.resourceId,
        resourceType: r.resourceType,
        requestedFor: r.requestedFor.externalId,
      },
    };
  }

  private resourceTarget(r: AccessRequestRecord): LogTarget {
    return {
      id: r.resourceId,
      type: r.resourceType === 'GROUP' ? 'UserGroup' : 'AppInstance',
      alternateId: r.resourceName,
      displayName: r.resourceName,
      detailEntry: null,
    };
  }

  private logRequest(
    r: AccessRequestRecord,
    ctx: CallContext,
    eventType: string,
    displayMessage: string,
    actor: LogActor,
    opts: { change?: { from: unknown; to: unknown }; result?: string; reason?: string } = {},
  ): void {
    const requestedFor = this.store.users.get(r.requestedFor.externalId);
    this.tenant.log(ctx, {
      eventType,
      displayMessage,
      actor,
      outcome: { result: opts.result ?? 'SUCCESS', reason: opts.reason ?? null },
      target: [
        { ...this.requestTarget(r), ...(opts.change ? { changeDetails: opts.change } : {}) },
        ...(requestedFor ? [userTarget(requestedFor)] : []),
        this.resourceTarget(r),
      ],
      // The access request's id rides in debugData.requestId (the HTTP call's id moves to httpRequestId),
      // so a consumer can correlate from the event alone.
      debugData: {
        requestId: r.id,
        accessRequestId: r.id,
        v1RequestId: r.v1Id,
        httpRequestId: ctx.requestId,
        catalogEntryId: r.entryId,
      },
    });
  }

  create(input: NewAccessRequest, ctx: CallContext): AccessRequestRecord {
    const entry = this.store.catalog.get(input.entryId);
    if (!entry) throw identifierNotFound('/requested/entryId', `Catalog entry ${input.entryId}`);
    if (!entry.requestable)
      throw new OktaApiError(400, 'E0000001', 'Api validation failed: request', [
        {
          errorSummary: `Catalog entry ${entry.id} is not requestable`,
          reason: 'INVALID_VALUE',
          location: '/requested/entryId',
          locationType: 'body',
          domain: 'governance',
        },
      ]);
    const forUser =
      this.store.users.get(input.requestedForId) ?? this.store.userByLogin(input.requestedForId);
    if (!forUser) throw identifierNotFound('/requestedFor/externalId', `User ${input.requestedForId}`);
    const byUser = this.store.users.get(input.requestedById) ?? this.store.userByLogin(input.requestedById);
    const durationField = (input.requesterFieldValues ?? []).find((f) => f.type === 'DURATION');
    const accessDuration =
      input.accessDuration ??
      (typeof durationField?.value === 'string' ? durationField.value : null) ??
      entry.accessDuration;
    if (accessDuration && parseIsoDuration(accessDuration) === undefined)
      throw oktaErrors.validation('accessDuration', [
        `accessDuration: ${accessDuration} is not an ISO 8601 duration`,
      ]);
    const resourceName =
      entry.resourceType === 'GROUP'
        ? (this.store.groups.get(entry.resourceId)?.profile.name ?? entry.label)
        : (this.store.apps.get(entry.resourceId)?.label ?? entry.label);
    const now = this.tenant.now();
    const r: AccessRequestRecord = {
      seq: this.store.nextSeq(),
      id: oktaId(ID_PREFIX.request),
      v1Id: hexId24(),
      permalinkId: this.store.next('permalink'),
      created: now,
      createdBy: input.actor.id,
      lastUpdated: now,
      lastUpdatedBy: input.actor.id,
      status: 'SUBMITTED',
      resolved: null,
      grantStatus: null,
      granted: null,
      revocationStatus: null,
      revoked: null,
      accessDuration: accessDuration ?? null,
      revocationScheduled: null,
      requestedBy: byUser
        ? { type: 'OKTA_USER', externalId: byUser.id }
        : { type: 'UNKNOWN', externalId: input.requestedById },
      requestedFor: { type: 'OKTA_USER', externalId: forUser.id },
      entryId: entry.id,
      resourceId: entry.resourceId,
      resourceType: entry.resourceType,
      resourceName,
      requesterFieldValues: input.requesterFieldValues ?? [],
      decisions: [],
      messages: [],
    };
    this.store.putRequest(r);
    this.logRequest(r, ctx, 'access.request.create', 'Access request created', input.actor);
    // OIG starts the approval sequence right after accepting the request (the 202 shows SUBMITTED).
    const copy = { ...r };
    r.status = 'PENDING';
    this.tenant.changed();
    return copy;
  }

  decide(
    id: string,
    decision: Decision,
    approver: UserRecord | undefined,
    ctx: CallContext,
  ): AccessRequestRecord {
    const r = this.request(id);
    if (r.status !== 'SUBMITTED' && r.status !== 'PENDING')
      throw oktaErrors.conflict(`access request ${r.id} is ${r.status}, not pending`);
    const now = this.tenant.now();
    const from = r.status;
    const actor = approver ? userActor(approver) : SYSTEM_ACTOR;
    const status: RequestStatus =
      decision === 'approve'
        ? 'APPROVED'
        : decision === 'deny'
          ? 'DENIED'
          : decision === 'cancel'
            ? 'CANCELED'
            : 'EXPIRED';
    r.status = status;
    r.resolved = now;
    r.lastUpdated = now;
    r.lastUpdatedBy = actor.id;
    if (approver && (decision === 'approve' || decision === 'deny')) {
      r.decisions.push({
        deciderId: approver.id,
        deciderName: displayName(approver),
        decision: decision === 'approve' ? 'APPROVED' : 'DENIED',
        decided: now,
      });
    }
    const change = { from: { status: from }, to: { status } };
    switch (decision) {
      case 'approve':
        this.logRequest(r, ctx, 'access.request.resolve', 'Access request approved', actor, { change });
        this.grant(r, ctx);
        break;
      case 'deny':
        this.logRequest(r, ctx, 'access.request.reject', 'Access request denied', actor, {
          change,
          result: 'DENY',
        });
        break;
      case 'cancel':
        this.logRequest(r, ctx, 'access.request.cancel', 'Access request canceled', actor, { change });
        break;
      case 'expire':
        this.logRequest(r, ctx, 'access.request.expire', 'Access request expired', SYSTEM_ACTOR, { change });
        break;
    }
    return r;
  }

  /**
   * Makes the request report statuses the sandbox never reaches on its own but Okta may (a grant left
   * to a person as MANUAL_REQUIRED, a time-bound revocation that FAILED, a request status newer than
   * this product), with the access.request.update event Okta would log. For tests of the flows' ends.
   */
  report(
    id: string,
    change: { status?: string; grantStatus?: 'MANUAL_REQUIRED' | 'FAILED'; revocationStatus?: 'FAILED' },
    ctx: CallContext,
  ): AccessRequestRecord {
    const r = this.request(id);
    const from = { status: r.status, grantStatus: r.grantStatus, revocationStatus: r.revocationStatus };
    if (change.status !== undefined) r.status = change.status as RequestStatus;
    if (change.grantStatus !== undefined) r.grantStatus = change.grantStatus;
    if (change.revocationStatus !== undefined) {
      clearTimeout(this.timers.get(r.id));
      this.timers.delete(r.id);
      r.revocationStatus = change.revocationStatus;
    }
    r.lastUpdated = this.tenant.now();
    this.logRequest(r, ctx, 'access.request.update', 'Access request updated', SYSTEM_ACTOR, {
      change: {
        from,
        to: { status: r.status, grantStatus: r.grantStatus, revocationStatus: r.revocationStatus },
      },
    });
    return r;
  }

  private grant(r: AccessRequestRecord, ctx: CallContext): void {
    r.grantStatus = 'PENDING';
    const user = this.store.users.get(r.requestedFor.externalId);
    try {
      if (!user || user.status === 'DEPROVISIONED') throw new Error('requested-for user is not active');
      if (r.resourceType === 'GROUP') {
        this.tenant.addMember(r.resourceId, user.id, ctx, SYSTEM_ACTOR);
      } else if (!this.store.appUser(r.resourceId, user.id)) {
        this.tenant.assignApp(r.resourceId, { id: user.id, scope: 'USER' }, ctx, SYSTEM_ACTOR);
      }
    } catch (err) {
      r.grantStatus = 'FAILED';
      r.lastUpdated = this.tenant.now();
      this.logRequest(r, ctx, 'access.request.update', 'Access request grant failed', SYSTEM_ACTOR, {
        change: { from: { grantStatus: 'PENDING' }, to: { grantStatus: 'FAILED' } },
        result: 'FAILURE',
        reason: err instanceof Error ? err.message : 'grant failed',
      });
      return;
    }
    const now = this.tenant.now();
    r.grantStatus = 'GRANTED';
    r.granted = now;
    r.lastUpdated = now;
    const durationMs = r.accessDuration ? parseIsoDuration(r.accessDuration) : undefined;
    if (durationMs !== undefined) {
      r.revocationStatus = 'PENDING';
      r.revocationScheduled = new Date(Date.parse(now) + durationMs).toISOString();
    }
    this.logRequest(r, ctx, 'access.request.update', 'Access request granted', SYSTEM_ACTOR, {
      change: { from: { grantStatus: 'PENDING' }, to: { grantStatus: 'GRANTED' } },
    });
    this.schedule(r, ctx);
  }

  private schedule(r: AccessRequestRecord, ctx: CallContext): void {
    if (this.closed || r.revocationStatus !== 'PENDING' || !r.revocationScheduled) return;
    clearTimeout(this.timers.get(r.id));
    const delay = Math.max(0, Date.parse(r.revocationScheduled) - Date.now());
    // setTimeout caps at ~24.8 days; longer durations re-arm when the shorter timer fires.
    const timer = setTimeout(
      () => {
        this.timers.delete(r.id);
        if (Date.parse(r.revocationScheduled ?? '') > Date.now() + 5) return this.schedule(r, ctx);
        this.revoke(r.id, ctx);
      },
      Math.min(delay, 2_000_000_000),
    );
    timer.unref();
    this.timers.set(r.id, timer);
  }

  /** Removes time-bound access when its duration ends. */
  revoke(id: string, ctx: CallContext): void {
    const r = this.store.requests.get(id);
    if (!r || r.revocationStatus !== 'PENDING' || this.closed) return;
    const user = this.store.users.get(r.requestedFor.externalId);
    try {
      if (user) {
        if (r.resourceType === 'GROUP') {
          if (this.store.groups.has(r.resourceId))
            this.tenant.removeMember(r.resourceId, user.id, ctx, SYSTEM_ACTOR);
        } else if (this.store.apps.has(r.resourceId)) {
          this.tenant.unassignApp(r.resourceId, user.id, ctx, true, SYSTEM_ACTOR);
        }
      }
      const now = this.tenant.now();
      r.revocationStatus = 'REVOKED';
      r.revoked = now;
      r.lastUpdated = now;
      this.logRequest(r, ctx, 'access.request.update', 'Time-bound access revoked', SYSTEM_ACTOR, {
        change: { from: { revocationStatus: 'PENDING' }, to: { revocationStatus: 'REVOKED' } },
      });
    } catch (err) {
      r.revocationStatus = 'FAILED';
      this.logger?.warn({ err, requestId: r.id }, 'sandbox OIG revocation failed');
      this.tenant.changed();
    }
  }

  /** After a restart: re-arm revocations that were pending (overdue ones fire at once). */
  restoreTimers(ctx: CallContext): void {
    for (const r of this.store.requests.values()) if (r.revocationStatus === 'PENDING') this.schedule(r, ctx);
  }

  addMessage(r: AccessRequestRecord, message: string, createdBy: string, api: 'v1' | 'v2'): void {
    r.messages.push({ id: oktaId('msg'), message, created: this.tenant.now(), createdBy, api });
    this.tenant.changed();
  }

  clearTimers(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  close(): void {
    this.closed = true;
    this.clearTimers();
  }

  reopen(): void {
    this.closed = false;
  }
}

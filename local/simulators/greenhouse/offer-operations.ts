import { notFound, unprocessable } from './api-errors.ts';
import { isoSeconds, type OperationsDeps } from './operations.ts';
import type { ApprovalFlowRecord, CustomFieldValues, Id, OfferRecord, OfferStatus } from './records.ts';
import type { ApprovalChain } from './state.ts';
import { offerDeletedPayload, offerPayload } from './webhooks/payloads.ts';

/**
 * Offers and their approval flows, as a recruiter and the approvers work them in Greenhouse's UI (the
 * admin API), plus the one v3 write the bridge makes here, `request_approvals`. Which change fires which
 * web hook is the reference's (§5.5 [H]): a new offer fires offer_created; a new version fires
 * offer_updated on the old version **and** offer_created for the new one; the final approval fires
 * offer_approved; a deletion fires offer_deleted; hiring accepts the offer (offer_updated).
 */

/** Admin input: an offer on an application, and optionally its approval chain (groups of user ids). */
export interface OfferCreate {
  readonly application_id: Id;
  readonly starts_on?: string | null | undefined;
  readonly sent_on?: string | null | undefined;
  readonly opening_id?: Id | null | undefined;
  readonly user_id?: Id | null | undefined;
  readonly notes?: string | null | undefined;
  /** By `name_key`; currency values as the webhooks spell them (`{amount, unit}`, `{min_value, max_value, unit}`). */
  readonly custom_fields?: Readonly<Record<string, unknown>> | undefined;
  readonly approval?: ApprovalChain | undefined;
}

export type { ApprovalChain } from './state.ts';

/** Admin input: an edit of the current offer, or (`status` alone) its resolution by the candidate. */
export interface OfferChange {
  readonly starts_on?: string | null | undefined;
  readonly sent_on?: string | null | undefined;
  readonly opening_id?: Id | null | undefined;
  readonly notes?: string | null | undefined;
  readonly custom_fields?: Readonly<Record<string, unknown>> | undefined;
  readonly status?: 'Accepted' | 'Rejected' | undefined;
}

export class OfferOperations {
  constructor(private readonly deps: OperationsDeps) {}

  private get state() {
    return this.deps.state;
  }

  private now(): string {
    return isoSeconds(this.deps.clock.now());
  }

  private emit(action: string, payload: unknown): void {
    this.deps.webhooks.emit(action, payload);
  }

  offer(id: Id): OfferRecord {
    const offer = this.state.get('offers', id);
    if (!offer) throw notFound();
    return offer;
  }

  /** The application's latest version, unless it was deprecated (then it has none). */
  currentOffer(applicationId: Id): OfferRecord | undefined {
    return this.state
      .all('offers')
      .filter((o) => o.application_id === applicationId && o.status !== 'Deprecated')
      .sort((a, b) => b.version - a.version)[0];
  }

  /** The offer's own approval flow (`offer_candidate`), if it has one. */
  flowOf(offerId: Id): ApprovalFlowRecord | undefined {
    return this.state.all('approval_flows').find((f) => f.offer_id === offerId && f.approval_type === 'offer_candidate');
  }

  createOffer(input: OfferCreate): OfferRecord {
    const app = this.state.get('applications', input.application_id);
    if (!app) throw unprocessable([{ application_id: `${input.application_id} does not exist` }]);
    if (app.job_id === null) throw unprocessable([{ application_id: 'a prospect application has no job to make an offer on' }]);
    const current = this.currentOffer(app.id);
    if (current && current.status !== 'Rejected') throw unprocessable([{ application_id: 'already has an offer: change it to make a new version' }]);
    if (input.user_id != null && !this.state.get('users', input.user_id)) throw unprocessable([{ user_id: `${input.user_id} does not exist` }]);
    const now = this.now();
    const offer = this.state.insert(
      'offers',
      {
        version: (current?.version ?? 0) + 1,
        application_id: app.id,
        job_id: app.job_id,
        candidate_id: app.candidate_id,
        opening_id: input.opening_id ?? null,
        status: 'Created',
        starts_on: input.starts_on ?? null,
        sent_on: input.sent_on ?? null,
        custom_fields: this.customFields({}, input.custom_fields),
        sim_user_id: input.user_id ?? null,
        sim_notes: input.notes ?? null,
        created_at: now,
        updated_at: now,
      },
      now,
    );
    if (input.approval) this.createFlow(offer, input.approval, now);
    this.emit('offer_created', offerPayload(this.deps.payloadContext(), offer));
    return offer;
  }

  /**
   * A change to the current offer. `status` alone resolves it in place (offer_updated). A new start date
   * or a custom field whose definition has `trigger_new_version` makes a new version [M]: the old one
   * turns Deprecated (offer_updated on it), the new one has a new id (offer_created), and the offer's
   * approval flow moves to it, back to pending and not requested (ASSUMED: a changed offer is approved
   * anew). Any other change edits the offer in place (offer_updated). Returns the current offer.
   */
  updateOffer(id: Id, change: OfferChange): OfferRecord {
    const offer = this.offer(id);
    if (offer.status === 'Deprecated') throw unprocessable(['Only the current version of an offer can be changed.']);
    const now = this.now();
    const { status, ...edits } = change;
    if (status !== undefined) {
      if (Object.keys(edits).length > 0) throw unprocessable([{ status: 'is changed on its own' }]);
      if (offer.status !== 'Created') throw unprocessable([`The offer is already ${offer.status}.`]);
      return this.resolve(offer, status, now);
    }
    const fields = {
      ...(edits.starts_on !== undefined ? { starts_on: edits.starts_on } : {}),
      ...(edits.sent_on !== undefined ? { sent_on: edits.sent_on } : {}),
      ...(edits.opening_id !== undefined ? { opening_id: edits.opening_id } : {}),
      ...(edits.notes !== undefined ? { sim_notes: edits.notes } : {}),
      ...(edits.custom_fields !== undefined ? { custom_fields: this.customFields(offer.custom_fields, edits.custom_fields) } : {}),
    };
    const versioned =
      (edits.starts_on !== undefined && edits.starts_on !== offer.starts_on) ||
      Object.keys(edits.custom_fields ?? {}).some((key) => this.state.customField('offer', key)?.trigger_new_version);
    if (!versioned) {
      Object.assign(offer, fields, { updated_at: now });
      this.emit('offer_updated', offerPayload(this.deps.payloadContext(), offer));
      return offer;
    }
    offer.status = 'Deprecated';
    offer.updated_at = now;
    const { id: _old, ...rest } = offer;
    const next = this.state.insert('offers', { ...rest, ...fields, version: offer.version + 1, status: 'Created', resolved_at: null, created_at: now, updated_at: now }, now);
    const flow = this.flowOf(offer.id);
    if (flow) this.restartFlow(flow, next.id, now);
    const ctx = this.deps.payloadContext();
    this.emit('offer_updated', offerPayload(ctx, offer));
    this.emit('offer_created', offerPayload(ctx, next));
    return next;
  }

  /** The candidate accepts or declines; hiring accepts too (GreenhouseOperations.hireApplication). */
  resolve(offer: OfferRecord, status: Extract<OfferStatus, 'Accepted' | 'Rejected'>, now: string): OfferRecord {
    Object.assign(offer, { status, resolved_at: now, updated_at: now });
    this.emit('offer_updated', offerPayload(this.deps.payloadContext(), offer));
    return offer;
  }

  /**
   * The final approval of the offer's flow: every approver approves, every group resolves, and
   * offer_approved fires [H]. Refused (422) unless the approvals were requested and are still pending,
   * as approvers cannot act before they are asked.
   */
  approveOffer(id: Id): OfferRecord {
    const offer = this.offer(id);
    const flow = this.flowOf(id);
    if (!flow) throw unprocessable(['The offer has no approval flow.']);
    if (flow.requested_by_id === null) throw unprocessable(['Approvals have not been requested for this offer.']);
    if (flow.approval_status !== 'pending') throw unprocessable([`The approval flow is already ${flow.approval_status}.`]);
    const now = this.now();
    for (const group of this.groupsOf(flow.id)) {
      Object.assign(group, { resolved_at: now, updated_at: now });
      for (const approver of this.approversOf(group.id)) Object.assign(approver, { status: 'approved', resolved_at: now, updated_at: now });
    }
    Object.assign(flow, { approval_status: 'approved', updated_at: now });
    this.emit('offer_approved', offerPayload(this.deps.payloadContext(), offer));
    return offer;
  }

  /** Deletes one offer version and its approval flow; offer_deleted fires with `payload.offer` [H]. */
  deleteOffer(id: Id): void {
    const offer = this.offer(id);
    this.drop(offer);
    this.emit('offer_deleted', offerDeletedPayload(offer));
  }

  /**
   * Every version of the applications' offers, with their flows. `notify`: one offer_deleted each, as
   * anonymizing `all_offer_versions` raises them [H]; cascades (a deleted candidate or application)
   * fire nothing of their own [H].
   */
  dropOffersOf(applicationIds: ReadonlySet<Id>, notify: boolean): void {
    for (const offer of this.state.all('offers')) {
      if (!applicationIds.has(offer.application_id)) continue;
      this.drop(offer);
      if (notify) this.emit('offer_deleted', offerDeletedPayload(offer));
    }
  }

  private drop(offer: OfferRecord): void {
    const flow = this.flowOf(offer.id);
    if (flow) this.deleteFlow(flow);
    this.state.tables.offers.delete(offer.id);
  }

  /**
   * `POST /v3/approval_flows/{id}/request_approvals`, as v1 documented it [H]: the first approver group
   * (every group of a non-sequential flow) goes from waiting to due, and the acting user becomes the
   * requester; a flow that cannot be started (already requested, approved or rejected) is a 422. The
   * acting user is the token's `sub`, else the integration's service user (as for notes, assumed).
   */
  requestApprovals(flowId: Id, actingUserId: Id | null): ApprovalFlowRecord {
    const flow = this.state.get('approval_flows', flowId);
    if (!flow) throw notFound();
    if (flow.requested_by_id !== null || flow.approval_status !== 'pending') throw unprocessable(['The approval flow has already been started.']);
    const requester = actingUserId ?? this.state.all('users').find((u) => u.sim_service_account)?.id ?? null;
    if (requester === null) throw unprocessable(['A requesting user is required.']);
    const groups = this.groupsOf(flow.id);
    if (groups.length === 0) throw unprocessable(['The approval flow has no approver groups.']);
    const now = this.now();
    for (const group of flow.sequential ? groups.slice(0, 1) : groups) {
      for (const approver of this.approversOf(group.id)) Object.assign(approver, { status: 'due', request_sent_at: now, updated_at: now });
    }
    Object.assign(flow, { requested_by_id: requester, updated_at: now });
    return flow;
  }

  private groupsOf(flowId: Id) {
    return this.state
      .all('approver_groups')
      .filter((g) => g.approval_flow_id === flowId)
      .sort((a, b) => a.sort_order - b.sort_order || a.id - b.id);
  }

  private approversOf(groupId: Id) {
    return this.state.all('approvers').filter((a) => a.approver_group_id === groupId);
  }

  private createFlow(offer: OfferRecord, chain: ApprovalChain, now: string): ApprovalFlowRecord {
    if (chain.approver_groups.length === 0) throw unprocessable([{ approver_groups: 'needs at least one group' }]);
    for (const group of chain.approver_groups) {
      for (const userId of group.user_ids) if (!this.state.get('users', userId)) throw unprocessable([{ approver_groups: `user ${userId} does not exist` }]);
      if (group.user_ids.length < (group.approvals_required ?? 1)) throw unprocessable([{ approver_groups: 'approvals_required exceeds the group' }]);
    }
    return this.state.addApprovalFlow(offer, chain, now);
  }

  private restartFlow(flow: ApprovalFlowRecord, offerId: Id, now: string): void {
    Object.assign(flow, { offer_id: offerId, version: flow.version + 1, approval_status: 'pending', requested_by_id: null, updated_at: now });
    for (const group of this.groupsOf(flow.id)) {
      Object.assign(group, { resolved_at: null, updated_at: now });
      for (const approver of this.approversOf(group.id)) Object.assign(approver, { status: 'waiting', request_sent_at: null, resolved_at: null, updated_at: now });
    }
  }

  private deleteFlow(flow: ApprovalFlowRecord): void {
    for (const group of this.groupsOf(flow.id)) {
      for (const approver of this.approversOf(group.id)) this.state.tables.approvers.delete(approver.id);
      this.state.tables.approver_groups.delete(group.id);
    }
    this.state.tables.approval_flows.delete(flow.id);
  }

  /** Offer custom fields by `name_key`, laid over `current`; null clears one. Unknown keys are a 422. */
  private customFields(current: CustomFieldValues, values: Readonly<Record<string, unknown>> | undefined): CustomFieldValues {
    const next = { ...current };
    for (const [key, value] of Object.entries(values ?? {})) {
      const field = this.state.customField('offer', key);
      if (!field) throw unprocessable([{ custom_fields: `unknown offer custom field ${key}` }]);
      if (value === null) delete next[key];
      else next[key] = { name: field.name, type: field.value_type, value };
    }
    return next;
  }
}

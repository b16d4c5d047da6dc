import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import { moneyOf, moneyRangeOf, type Job, type Offer } from '#core/greenhouse/records';
import { collect } from '#core/async-iterables';
import { isoNow, type Clock } from '#core/clock';
import { entityKey } from '#core/envelope';
import type { AuditStore } from '#core/sync/ports';
import { checksSummary } from '../check-results.ts';
import { decideGate, jobViewOf } from '../gating.ts';
import type { AiMemory } from '../ports.ts';
import type { OfferSettings, PayTransparencySettings } from '../settings.ts';
import { sha256 } from '../screening/workflow.ts';
import { OFFER_CHECKS_VERSION, checkOffer, type OfferCheckResult, type OfferFacts, type Pay } from './checks.ts';
import { offerChecksNote, type ApprovalsOutcome } from './note.ts';

/**
 * Offer checks for one offer (`offer_created`, `offer_updated`): read the current offer, its job,
 * offices, opening and approval flow → gate → the checks (checks.ts) → Audit → in assist mode one
 * private note on the application and, only with `requestApprovals` and every check passed, the
 * flow's approvals requested. The bridge never approves, never changes an offer and never sends one:
 * the client has no method that could. A superseded version (Deprecated) or a resolved offer
 * (Accepted, Rejected) is not checked: the current version has its own event.
 */
export const OFFERS_WORKFLOW = 'offers';

export interface OfferChecksDependencies {
  readonly greenhouse: Pick<GreenhouseApi, 'listOffers' | 'listJobs' | 'listApplications' | 'listOffices' | 'listOpenings' | 'listApprovalFlows' | 'requestApprovals' | 'createNote'>;
  readonly memory: AiMemory;
  readonly audit: AuditStore;
  readonly clock: Clock;
  readonly settings: OfferSettings;
  readonly payTransparency: PayTransparencySettings;
  /** The Harvest user the note is written as (the token's `sub` when absent). */
  readonly noteAuthorId?: number;
}

export type OfferChecksOutcome =
  | { readonly outcome: 'skipped'; readonly reason: string }
  /** These exact checks (same offer version, results and mode) were already written or audited. */
  | { readonly outcome: 'already-checked'; readonly offerId: number }
  | {
      readonly outcome: 'checked';
      readonly mode: 'shadow' | 'assist';
      readonly offerId: number;
      readonly checks: readonly OfferCheckResult[];
      readonly approvals: ApprovalsOutcome;
      readonly noteWritten: boolean;
    };

/** Money or a money range, from whichever value the pay field holds; a single amount is a range of one. */
export function payOf(value: unknown): Pay | undefined {
  const single = moneyOf(value);
  if (single) return { min: single.amount, max: single.amount, currency: single.currency };
  return moneyRangeOf(value);
}

const today = (clock: Clock) => isoNow(clock).slice(0, 10);
const fieldValue = (fields: Offer['custom_fields'] | Job['custom_fields'], key: string | undefined) => (key ? fields?.[key]?.value : undefined);

/** The offer's own approval flow, or else the job's offer approval flow (offer_job), which Greenhouse copies to each offer. */
async function approvalFlowOf(offer: Offer, deps: OfferChecksDependencies) {
  const own = await collect(deps.greenhouse.listApprovalFlows({ offer_ids: [offer.id] }));
  if (own.length) return own[0];
  if (!offer.job_id) return undefined;
  const ofJob = await collect(deps.greenhouse.listApprovalFlows({ job_ids: [offer.job_id], approval_type: 'offer_job' }));
  return ofJob[0];
}

async function factsOf(offer: Offer, job: Job, deps: OfferChecksDependencies): Promise<OfferFacts & { readonly flow?: Awaited<ReturnType<typeof approvalFlowOf>> }> {
  const officeIds = job.office_ids ?? [];
  const [offices, openings, flow] = await Promise.all([
    officeIds.length ? collect(deps.greenhouse.listOffices()) : Promise.resolve([]),
    offer.opening_id ? collect(deps.greenhouse.listOpenings({ ids: [offer.opening_id] })) : Promise.resolve(undefined),
    approvalFlowOf(offer, deps),
  ]);
  const level = fieldValue(job.custom_fields, deps.settings.levelField);
  const shown = payOf(fieldValue(job.custom_fields, deps.payTransparency.jobPayRangeField));
  return {
    pay: payOf(fieldValue(offer.custom_fields, deps.settings.payField)),
    startsOn: offer.starts_on ?? null,
    customFields: offer.custom_fields ?? {},
    job: {
      departmentId: job.department_id ?? null,
      officeIds,
      ...(typeof level === 'string' && level.trim() ? { level: level.trim() } : {}),
      ...(shown ? { payRange: shown } : {}),
    },
    offices: offices.filter((o) => officeIds.includes(o.id)).map((o) => ({ id: o.id, name: o.name ?? '' })),
    ...(openings ? { openingTargetStartOn: openings[0]?.target_start_on ?? null } : {}),
    ...(flow ? { approvalFlow: { id: flow.id, status: flow.approval_status ?? null } } : {}),
    today: today(deps.clock),
    flow,
  };
}

export async function checkOfferForApproval(offerId: number, deps: OfferChecksDependencies): Promise<OfferChecksOutcome> {
  const { greenhouse, settings } = deps;
  const [offer] = await collect(greenhouse.listOffers({ ids: [offerId] }));
  if (!offer) return { outcome: 'skipped', reason: 'offer-not-found' };
  if (offer.status === 'Deprecated') return { outcome: 'skipped', reason: 'offer-superseded' };
  if (offer.status === 'Accepted' || offer.status === 'Rejected') return { outcome: 'skipped', reason: 'offer-resolved' };
  const [job] = offer.job_id ? await collect(greenhouse.listJobs({ ids: [offer.job_id] })) : [];
  if (!job) return { outcome: 'skipped', reason: 'job-not-found' };
  const gate = decideGate(settings, OFFERS_WORKFLOW, jobViewOf(job), job.id);
  if (!gate.run) return { outcome: 'skipped', reason: gate.reason };

  // The note goes on the candidate's application; an offer names its candidate, or its application does.
  const candidateId = offer.candidate_id ?? (await collect(greenhouse.listApplications({ ids: [offer.application_id] })))[0]?.candidate_id;
  if (!candidateId) return { outcome: 'skipped', reason: 'application-not-found' };

  const { flow, ...facts } = await factsOf(offer, job, deps);
  const checks = checkOffer(facts, { settings, payTransparency: deps.payTransparency.rules });
  const summary = checksSummary(checks);

  const hash = sha256(JSON.stringify([offer.id, offer.updated_at, checks, gate.mode, settings.requestApprovals, OFFER_CHECKS_VERSION]));
  const doneKey = `offers#done#${offer.id}`;
  if ((await deps.memory.get<string>(doneKey)) === hash) return { outcome: 'already-checked', offerId };

  let approvals: ApprovalsOutcome;
  if (!flow) approvals = { kind: 'not-requested', reason: 'no-flow' };
  else if (summary.failed) approvals = { kind: 'not-requested', reason: 'checks-failed' };
  else if (gate.mode === 'shadow') approvals = { kind: 'not-requested', reason: 'shadow' };
  else if (!settings.requestApprovals) approvals = { kind: 'not-requested', reason: 'setting-off' };
  // Requested before the note, so the note says what happened; a retry finds them requested already.
  else approvals = { kind: (await greenhouse.requestApprovals(flow.id)).outcome, flowId: flow.id };

  const noteWritten = gate.mode === 'assist';
  if (noteWritten) {
    await greenhouse.createNote({
      candidate_id: candidateId,
      application_id: offer.application_id,
      visibility: 'private',
      body: offerChecksNote(offer, checks, approvals),
      ...(deps.noteAuthorId !== undefined ? { user_id: deps.noteAuthorId } : {}),
    });
  }
  await deps.audit.record({
    kind: 'offer-check',
    entityKey: entityKey('greenhouse', 'application', offer.application_id),
    summary: `Offer ${offer.id}: ${summary.passed} of ${checks.length} checks passed; approvals ${approvals.kind}${'reason' in approvals ? ` (${approvals.reason})` : ''}.`,
    detail: {
      workflow: OFFERS_WORKFLOW,
      offerId: offer.id,
      applicationId: offer.application_id,
      jobId: job.id,
      mode: gate.mode,
      version: OFFER_CHECKS_VERSION,
      inputHash: hash,
      passed: summary.passed,
      failed: summary.failed,
      output: JSON.stringify(checks.map((c) => ({ check: c.check, passed: c.passed, detail: c.detail ?? null, findings: c.findings.map((f) => f.message) }))),
      approvals: approvals.kind,
      noteWritten,
    },
    at: isoNow(deps.clock),
  });
  await deps.memory.put(doneKey, hash);
  return { outcome: 'checked', mode: gate.mode, offerId, checks, approvals, noteWritten };
}

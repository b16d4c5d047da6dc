import * as z from '#core/zod-mini';
import type { QueueId } from '#core/queues';
import { entityKey, type Refs } from '#core/envelope';

/**
 * Every documented Greenhouse Recruiting webhook action (reference §5.6, the same 29 names as the v3
 * `event_action_type` enum) and where it goes. Payloads are still v1-shaped after the v3 migration,
 * so only the ids are read here, each through a small schema: the consumers re-read current state
 * from Harvest v3.
 *
 * Queues: `greenhouse-changes` feeds the Greenhouse → Beamery sync; `ai-tasks` feeds the AI
 * workflows. An action may go to both (a new application is synced and screened).
 */

/**
 * A Greenhouse id as the bridge accepts it: a positive integer, as a JSON number or a string of
 * digits without a leading zero, no larger than 2^53 - 1. The consumers call Harvest with
 * `Number(id)`, exact only up to there, and a JSON number past it has already lost digits; anything
 * else could not name an entity and would only block the FIFO group it was routed to.
 */
export function greenhouseId(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? String(value) : undefined;
  if (typeof value === 'string' && /^[1-9]\d{0,15}$/.test(value) && Number(value) <= Number.MAX_SAFE_INTEGER) return value;
  return undefined;
}

/** The zod issue message of an id that is present but not a Greenhouse id (see `subjectOf`). */
const INVALID_ID = 'invalid id';

const id = z.pipe(
  z.unknown(),
  z.transform((value, ctx) => {
    const parsed = greenhouseId(value);
    if (parsed !== undefined) return parsed;
    ctx.issues.push({ code: 'custom', message: value === undefined ? 'missing id' : INVALID_ID, input: value });
    return z.NEVER;
  }),
);
const optionalId = z.nullish(id);

/** What an action concerns: its FIFO group (per-entity order) and the ids a consumer needs. */
export interface Subject {
  readonly entityKey: string;
  readonly refs: Refs;
}

export interface ActionRoute {
  readonly queues: readonly QueueId[];
  /** True where the entity is gone from Harvest, so the consumer cannot re-read it. */
  readonly carriesPayload: boolean;
  readonly subject: (payload: unknown) => Subject;
}

const applicationEvent = z.object({
  application: z.object({
    id,
    candidate: z.object({ id }),
    jobs: z.nullish(z.array(z.object({ id }))),
  }),
});
const ofApplication = (payload: unknown): Subject => {
  const { application } = applicationEvent.parse(payload);
  return {
    entityKey: entityKey('greenhouse', 'candidate', application.candidate.id),
    refs: {
      candidateId: application.candidate.id,
      applicationId: application.id,
      jobIds: (application.jobs ?? []).map((j) => j.id),
    },
  };
};

const deletedApplication = z.object({ application: z.object({ id, candidate_id: id, job_id: optionalId }) });
const ofDeletedApplication = (payload: unknown): Subject => {
  const { application } = deletedApplication.parse(payload);
  return {
    entityKey: entityKey('greenhouse', 'candidate', application.candidate_id),
    refs: {
      candidateId: application.candidate_id,
      applicationId: application.id,
      jobIds: application.job_id ? [application.job_id] : [],
    },
  };
};

const updatedCandidate = z.object({ candidate: z.object({ id }) });
const ofUpdatedCandidate = (payload: unknown): Subject => {
  const { candidate } = updatedCandidate.parse(payload);
  return { entityKey: entityKey('greenhouse', 'candidate', candidate.id), refs: { candidateId: candidate.id } };
};

const removedPerson = z.object({ person: z.object({ id }) });
const ofRemovedPerson = (payload: unknown): Subject => {
  const { person } = removedPerson.parse(payload);
  return { entityKey: entityKey('greenhouse', 'candidate', person.id), refs: { candidateId: person.id } };
};

const mergedPerson = z.object({ person: z.object({ id, new_candidate_id: id }) });
// Grouped by the winner so later updates of the merged candidate queue behind the merge itself.
const ofMergedPerson = (payload: unknown): Subject => {
  const { person } = mergedPerson.parse(payload);
  return {
    entityKey: entityKey('greenhouse', 'candidate', person.new_candidate_id),
    refs: { candidateId: person.id, winnerCandidateId: person.new_candidate_id },
  };
};

const anonymized = z.object({ candidate_id: id });
const ofAnonymized = (payload: unknown): Subject => {
  const { candidate_id } = anonymized.parse(payload);
  return { entityKey: entityKey('greenhouse', 'candidate', candidate_id), refs: { candidateId: candidate_id } };
};

// Offer payloads name the application but not the candidate, so the application is the group.
const offer = z.object({ id, application_id: id, job_id: optionalId });
const offerSubject = (o: z.infer<typeof offer>): Subject => ({
  entityKey: entityKey('greenhouse', 'application', o.application_id),
  refs: { applicationId: o.application_id, offerId: o.id, jobIds: o.job_id ? [o.job_id] : [] },
});
const ofOffer = (payload: unknown): Subject => offerSubject(offer.parse(payload));
const deletedOffer = z.object({ offer });
const ofDeletedOffer = (payload: unknown): Subject => offerSubject(deletedOffer.parse(payload).offer);

const interview = z.object({ interview: z.object({ id }) });
const ofDeletedInterview = (payload: unknown): Subject => {
  const { interview: i } = interview.parse(payload);
  return { entityKey: entityKey('greenhouse', 'interview', i.id), refs: { interviewId: i.id } };
};

const scorecard = z.object({ scorecard: z.object({ id, candidate_id: id }) });
const ofDeletedScorecard = (payload: unknown): Subject => {
  const { scorecard: s } = scorecard.parse(payload);
  return {
    entityKey: entityKey('greenhouse', 'candidate', s.candidate_id),
    refs: { candidateId: s.candidate_id, scorecardId: s.id },
  };
};

const job = z.object({ job: z.object({ id }) });
const ofJob = (payload: unknown): Subject => {
  const { job: j } = job.parse(payload);
  return { entityKey: entityKey('greenhouse', 'job', j.id), refs: { jobIds: [j.id] } };
};

const jobPost = z.object({ id, job_id: optionalId });
// A post without a job is a prospect post: it is its own entity.
const jobPostSubject = (post: z.infer<typeof jobPost>): Subject =>
  post.job_id
    ? { entityKey: entityKey('greenhouse', 'job', post.job_id), refs: { jobIds: [post.job_id], jobPostId: post.id } }
    : { entityKey: entityKey('greenhouse', 'job_post', post.id), refs: { jobPostId: post.id } };
const ofJobPost = (payload: unknown): Subject => jobPostSubject(jobPost.parse(payload));
const deletedJobPost = z.object({ job_post: jobPost });
const ofDeletedJobPost = (payload: unknown): Subject => jobPostSubject(deletedJobPost.parse(payload).job_post);

const stage = z.object({ job_interview_stage: z.object({ id, job_id: id }) });
const ofDeletedStage = (payload: unknown): Subject => {
  const { job_interview_stage: s } = stage.parse(payload);
  return { entityKey: entityKey('greenhouse', 'job', s.job_id), refs: { jobIds: [s.job_id] } };
};

const ofDeleted = (type: 'department' | 'office') => {
  const schema = z.object({ [type]: z.object({ id }) });
  return (payload: unknown): Subject => {
    const parsed = schema.parse(payload) as Record<string, { id: string }>;
    return { entityKey: entityKey('greenhouse', type, parsed[type]!.id), refs: {} };
  };
};

const SYNC = ['greenhouse-changes'] as const satisfies readonly QueueId[];
const SYNC_AND_AI = ['greenhouse-changes', 'ai-tasks'] as const satisfies readonly QueueId[];
const AI = ['ai-tasks'] as const satisfies readonly QueueId[];

const route = (queues: readonly QueueId[], subject: ActionRoute['subject'], carriesPayload = false): ActionRoute => ({
  queues,
  subject,
  carriesPayload,
});

export const ACTION_ROUTES = {
  // Applications: the candidate is reconciled into Beamery; a new application is also screened, a
  // stage change may complete a stage's scorecards for feedback synthesis, and an update or a stage
  // change of a screened application is checked for reviewer overrides.
  new_candidate_application: route(SYNC_AND_AI, ofApplication),
  new_prospect_application: route(SYNC, ofApplication),
  application_updated: route(SYNC_AND_AI, ofApplication),
  candidate_stage_change: route(SYNC_AND_AI, ofApplication),
  reject_candidate: route(SYNC, ofApplication),
  unreject_candidate: route(SYNC, ofApplication),
  hire_candidate: route(SYNC, ofApplication),
  unhire_candidate: route(SYNC, ofApplication),
  delete_application: route(SYNC, ofDeletedApplication, true),
  // Candidates; a deleted, merged-away or anonymized one also leaves the rediscovery index.
  update_candidate: route(SYNC, ofUpdatedCandidate),
  delete_candidate: route(SYNC_AND_AI, ofRemovedPerson, true),
  merge_candidate: route(SYNC_AND_AI, ofMergedPerson, true),
  candidate_anonymized: route(SYNC_AND_AI, ofAnonymized, true),
  // Offers: kept on the candidate's sync path (hired state, start dates); a new or changed offer is
  // also checked against its band and rules before approval (offer checks).
  offer_created: route(SYNC_AND_AI, ofOffer),
  offer_approved: route(SYNC, ofOffer),
  offer_updated: route(SYNC_AND_AI, ofOffer),
  offer_deleted: route(SYNC, ofDeletedOffer, true),
  // Interviews and scorecards only matter to feedback synthesis.
  interview_deleted: route(AI, ofDeletedInterview, true),
  scorecard_deleted: route(AI, ofDeletedScorecard, true),
  // Jobs become Beamery vacancies; a new or approved job, or one whose post goes live, is also matched
  // with past candidates (rediscovery), and a new one may get a drafted description.
  job_created: route(SYNC_AND_AI, ofJob),
  job_updated: route(SYNC, ofJob),
  job_approved: route(SYNC_AND_AI, ofJob),
  job_deleted: route(SYNC, ofJob, true),
  job_post_created: route(SYNC_AND_AI, ofJobPost),
  job_post_updated: route(SYNC_AND_AI, ofJobPost),
  job_post_deleted: route(SYNC, ofDeletedJobPost, true),
  job_interview_stage_deleted: route(SYNC, ofDeletedStage, true),
  // Reference data.
  department_deleted: route(SYNC, ofDeleted('department'), true),
  office_deleted: route(SYNC, ofDeleted('office'), true),
} as const satisfies Record<string, ActionRoute>;

export type GreenhouseAction = keyof typeof ACTION_ROUTES;

export const GREENHOUSE_ACTIONS = Object.keys(ACTION_ROUTES) as GreenhouseAction[];

/** Every queue some action routes to, in catalogue order: what the ingest Lambda must be able to send to. */
export const ROUTED_QUEUES: readonly QueueId[] = [...new Set(Object.values(ACTION_ROUTES).flatMap((r): readonly QueueId[] => r.queues))];

export function isKnownAction(action: string): action is GreenhouseAction {
  return Object.hasOwn(ACTION_ROUTES, action);
}

export type SubjectResult =
  | { readonly ok: true; readonly subject: Subject }
  /** `field`: where in the payload, by the schema's key names only (never a value), for the operator. */
  | { readonly ok: false; readonly reason: 'invalid-id' | 'unroutable'; readonly field?: string };

/** What a known action's payload concerns, or why it names no entity the bridge could process. */
export function subjectOf(action: GreenhouseAction, payload: unknown): SubjectResult {
  try {
    return { ok: true, subject: ACTION_ROUTES[action].subject(payload) };
  } catch (error) {
    if (!(error instanceof z.$ZodError)) throw error;
    const invalid = error.issues.find((issue) => issue.code === 'custom' && issue.message === INVALID_ID);
    return invalid
      ? { ok: false, reason: 'invalid-id', field: ['payload', ...invalid.path].join('.') }
      : { ok: false, reason: 'unroutable' };
  }
}

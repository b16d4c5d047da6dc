import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as z from 'zod';
import { ADMIN_PREFIX } from '../../shared/faults.ts';
import { parseBody, unprocessable } from '../api-errors.ts';
import { pathId, present, type RouteDeps } from '../routes/context.ts';
import { anonymizeRequest, candidateCreate, candidatePatch, applicationPatch, nestedApplication } from '../write-schemas.ts';
import type { JobPostRecord, JobRecord } from '../records.ts';

/**
 * Admin mutations: what a recruiter would do in Greenhouse's UI. Each fires the webhook Greenhouse
 * fires for it, so tests and the local stack can drive the bridge from "the Greenhouse side".
 * Never rate-limited or faulted.
 */
const A = ADMIN_PREFIX;

const loose = z.looseObject({});
const jobCreate = z.looseObject({ name: z.string().min(1), stages: z.array(z.string()).optional(), openings: z.number().int().min(0).optional() });
const jobPostCreate = z.looseObject({ title: z.string().min(1), job_id: z.number().int().nullable().optional() });
const isoTime = z.iso.datetime({ offset: true });
const interviewSchedule = z.object({
  application_id: z.number().int(),
  job_interview_id: z.number().int(),
  interviewer_ids: z.array(z.number().int()).min(1),
  starts_at: isoTime.optional(),
  ends_at: isoTime.optional(),
});
const scorecardSubmission = z.object({
  interview_id: z.number().int(),
  interviewer_id: z.number().int(),
  candidate_rating: z.enum(['strong_no', 'no', 'yes', 'strong_yes', 'no_decision']),
  notes: z.string().nullable().optional(),
  private_notes: z.string().nullable().optional(),
  public_notes: z.string().nullable().optional(),
  status: z.enum(['draft', 'complete']).optional(),
});

export function registerAdminEntityRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const ops = deps.operations;
  const show = (request: FastifyRequest, name: string, record: unknown) => present(deps, request, name, record);

  // Candidates
  app.post(`${A}/candidates`, async (request, reply) => {
    const { candidate, application } = ops.createCandidate(parseBody(candidateCreate, request.body));
    return reply.code(201).send({
      candidate: show(request, 'candidates', candidate),
      application: application ? show(request, 'applications', application) : null,
    });
  });
  app.patch(`${A}/candidates/:id`, async (request) =>
    show(request, 'candidates', ops.updateCandidate(pathId(request), parseBody(candidatePatch, request.body))),
  );
  app.post(`${A}/candidates/:id/anonymize`, async (request) => {
    const { fields } = parseBody(anonymizeRequest, request.body);
    return show(request, 'candidates', ops.anonymizeCandidate(pathId(request), fields));
  });
  app.post(`${A}/candidates/:id/merge`, async (request) => {
    const { duplicate_candidate_id } = parseBody(z.object({ duplicate_candidate_id: z.number().int() }), request.body);
    return show(request, 'candidates', ops.mergeCandidates(pathId(request), duplicate_candidate_id));
  });
  app.delete(`${A}/candidates/:id`, async (request, reply) => {
    ops.deleteCandidate(pathId(request));
    return reply.code(204).send();
  });

  // Applications
  app.post(`${A}/applications`, async (request, reply) => {
    const body = parseBody(z.looseObject({ candidate_id: z.number().int() }), request.body);
    const { candidate_id, ...rest } = body;
    const application = ops.createApplication(candidate_id, parseBody(nestedApplication, rest));
    return reply.code(201).send(show(request, 'applications', application));
  });
  app.patch(`${A}/applications/:id`, async (request) =>
    show(request, 'applications', ops.updateApplication(pathId(request), parseBody(applicationPatch, request.body))),
  );
  app.post(`${A}/applications/:id/webhook`, async (request) => {
    const { action } = parseBody(z.object({ action: z.enum(['new_candidate_application', 'candidate_stage_change']) }), request.body);
    return show(request, 'applications', ops.resendApplicationEvent(pathId(request), action));
  });
  app.post(`${A}/applications/:id/move`, async (request) => {
    const id = pathId(request);
    const app_ = ops.application(id);
    const { to_stage_id } = parseBody(z.object({ to_stage_id: z.number().int().optional() }), request.body);
    const from = app_.job_interview_stage_id;
    if (from === null) throw unprocessable(['Application has no current stage.']);
    return show(request, 'applications', ops.moveApplication(id, { from_stage_id: from, ...(to_stage_id ? { to_stage_id } : {}) }));
  });
  app.post(`${A}/applications/:id/reject`, async (request) => {
    const { rejection_reason_id } = parseBody(z.object({ rejection_reason_id: z.number().int().optional() }), request.body);
    const reason = rejection_reason_id ?? deps.state.all('rejection_reasons')[0]?.id;
    if (reason === undefined) throw unprocessable(['No rejection reason exists.']);
    return show(request, 'applications', ops.rejectApplication(pathId(request), { rejection_reason_id: reason }));
  });
  app.post(`${A}/applications/:id/unreject`, async (request) => show(request, 'applications', ops.unrejectApplication(pathId(request))));
  app.post(`${A}/applications/:id/hire`, async (request) => {
    const { opening_id } = parseBody(z.object({ opening_id: z.number().int().optional() }), request.body);
    return show(request, 'applications', ops.hireApplication(pathId(request), opening_id ? { opening_id } : {}));
  });
  app.post(`${A}/applications/:id/unhire`, async (request) => show(request, 'applications', ops.unhireApplication(pathId(request))));
  app.delete(`${A}/applications/:id`, async (request, reply) => {
    ops.deleteApplication(pathId(request));
    return reply.code(204).send();
  });

  // Jobs and job posts
  app.post(`${A}/jobs`, async (request, reply) => {
    const job = ops.createJob(parseBody(jobCreate, request.body) as Partial<JobRecord> & { name: string });
    return reply.code(201).send(show(request, 'jobs', job));
  });
  app.patch(`${A}/jobs/:id`, async (request) =>
    show(request, 'jobs', ops.updateJob(pathId(request), parseBody(loose, request.body) as Partial<JobRecord>)),
  );
  app.post(`${A}/jobs/:id/approve`, async (request) => {
    const { approval_flow_type } = parseBody(z.object({ approval_flow_type: z.enum(['open_job', 'offer_job']).optional() }), request.body);
    return show(request, 'jobs', ops.approveJob(pathId(request), approval_flow_type));
  });
  app.delete(`${A}/jobs/:id`, async (request, reply) => {
    ops.deleteJob(pathId(request));
    return reply.code(204).send();
  });
  app.post(`${A}/job_posts`, async (request, reply) => {
    const post = ops.createJobPost(parseBody(jobPostCreate, request.body) as Partial<JobPostRecord> & { title: string });
    return reply.code(201).send(show(request, 'job_posts', post));
  });
  app.patch(`${A}/job_posts/:id`, async (request) =>
    show(request, 'job_posts', ops.updateJobPost(pathId(request), parseBody(loose, request.body) as Partial<JobPostRecord>)),
  );
  app.delete(`${A}/job_posts/:id`, async (request, reply) => {
    ops.deleteJobPost(pathId(request));
    return reply.code(204).send();
  });

  // Interviews and scorecards: no webhook exists for scheduling or feedback [H], the bridge polls.
  app.post(`${A}/interviews`, async (request, reply) => {
    const interview = ops.scheduleInterview(parseBody(interviewSchedule, request.body));
    return reply.code(201).send(show(request, 'interviews', interview));
  });
  app.post(`${A}/interviews/:id/conclude`, async (request) => show(request, 'interviews', ops.concludeInterview(pathId(request))));
  app.post(`${A}/scorecards`, async (request, reply) => {
    const { scorecard, created } = ops.submitScorecard(parseBody(scorecardSubmission, request.body));
    return reply.code(created ? 201 : 200).send(show(request, 'scorecards', scorecard));
  });

  // Deletions that only exist as webhooks for the bridge
  const deletion = (path: string, run: (id: number) => void) =>
    app.delete(`${A}/${path}/:id`, async (request, reply) => {
      run(pathId(request));
      return reply.code(204).send();
    });
  deletion('job_interview_stages', (id) => ops.deleteJobInterviewStage(id));
  deletion('departments', (id) => ops.deleteDepartment(id));
  deletion('offices', (id) => ops.deleteOffice(id));
  deletion('scorecards', (id) => ops.deleteScorecard(id));
}

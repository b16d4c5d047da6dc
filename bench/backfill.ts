import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse } from 'aws-lambda';
import { formatProgress } from '#core/sync/backfill-plan';
import { readConfig, requireTableName } from '#lambdas/config';
import { awsBackfillDependencies, runBackfill } from '#adapters/backfill-runner';
import { DynamoDbBudgetStore } from '#adapters/store/dynamodb-budget-store';
import { GREENHOUSE_BUDGET_POLICY } from '#adapters/greenhouse/client';
import { BEAMERY_BUDGET_POLICY } from '#adapters/beamery/transport';
import { allowance, bulkAllowance, fullLiveReserve, type BudgetPolicy } from '#core/rate/budget';
import { DEFAULT_COPIED_ATTACHMENT_TYPES } from '#core/mapping/attachments';
import { DEFAULT_COPIED_NOTE_TYPES } from '#core/mapping/notes';
import { startEventSourceMapping } from '#local/event-source-mapping';
import { localSqsClient } from '#local/sdk-clients';
import { startLocalStack, type LocalStack } from '#local/stack';
import { DEFAULT_SCENARIO_PATH } from '#local/simulators/greenhouse/server';
import { greenhouseIdOf } from '#local/simulators/beamery/state';
import { queueDepth } from '#adapters/queue/queue-depth';
import { DynamoDbIdMap } from '#adapters/store/id-map';
import { startLiveEdits, type LiveEditResult } from './live-edits.ts';

/**
 * The backfill benchmark: `bridge backfill` (lambdas/adapters/backfill-runner.ts, wired as
 * bin/bridge.ts wires it) over 300 jobs and 5,000 candidates in the Greenhouse simulator, with the real
 * greenhouse-changes consumer draining the queue into the Beamery simulator, on the local stack
 * (DynamoDB Local, fauxqs, both simulators; everything but DynamoDB Local in this process).
 *
 * Measured: the wall time from the backfill's start until the last message is handled, and the API
 * calls each simulator logged. Compared with: the bound the two rate limits set, max over the systems
 * of (calls a clean run must make there, `minimumCalls`) / (calls per second the server allows). The
 * target is 1.25× the bound. At the end the bench checks the sync: a contact for every non-private
 * candidate, a vacancy for every job, every membership, note and resume, nothing on a DLQ; otherwise
 * it fails. Duplicates in Beamery are reported, not fatal.
 *
 * The consumers run as the deployed event-source mapping does: batches of 10, 5 batches in flight
 * (`sync.maxConcurrency`'s default, lib/config.ts), a rate-limited message handed back to the queue
 * until the window it waits for. The local stack's own mapping runs one batch at a time, so the stack
 * is started without consumers and the real handler is mapped here. The queue keeps the deployed
 * redrive count (5) unless BENCH_BACKFILL_MAX_RECEIVE_COUNT says otherwise.
 *
 * Rate limits: at Greenhouse's ~50 per 30 s this backfill would take hours, so both simulators get
 * higher limits, still binding. On a 2-core machine the local stack itself manages 13-20 candidates/s
 * unlimited (each costs ~10 API calls, ~30-40 DynamoDB requests and their HTTP round trips, all on
 * this machine): 5,000 candidates take 4-6.5 minutes with no limit at all. For the limits, not the CPU,
 * to set the pace, the defaults allow ~11.5 candidates/s: Greenhouse 2,250 per 30 s (bound ~7 min) and
 * Beamery 60/s (~5 min). The result says what bound the run: a rate limit when its system used at
 * least 85% of what the limit allowed over the wall time, else the CPU when the machine was busy.
 */

export interface BackfillBenchOptions {
  readonly jobs?: number;
  readonly candidates?: number;
  /** Greenhouse: requests per 30-second window. */
  readonly greenhouseLimit?: number;
  /** Beamery: requests per second. */
  readonly beameryLimit?: number;
  /** Consumer batches in flight (the deployed default is 5). */
  readonly consumers?: number;
  /**
   * greenhouse-changes' redrive count, as the stack's `maxReceiveCount` setting would make it (1-1000);
   * default: the deployed default (5), which the local stack creates.
   */
  readonly maxReceiveCount?: number;
  /** Live edits during the backfill, one per this many ms (bench/live-edits.ts); 0: none. */
  readonly liveEditIntervalMs?: number;
  /** Fails the bench if the sync is not complete by then. */
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface SystemCalls {
  /** Rate-limited API calls the system answered or refused (token requests and downloads apart). */
  readonly actual: number;
  /** What a clean run must make (see `minimumCalls`). */
  readonly minimum: number;
  /** Server limit in calls per second. */
  readonly allowedPerSecond: number;
  /** minimum / allowedPerSecond. */
  readonly boundSeconds: number;
  /** actual / allowedPerSecond: how long the calls actually made take at the limit. */
  readonly actualBoundSeconds: number;
  readonly perSyncedCandidate: number;
  readonly minimumPerSyncedCandidate: number;
  /** Calls made / calls the limit allowed over the wall time (1 = the limit was used throughout). */
  readonly utilisation: number;
  readonly rejected429: number;
  /** Calls by route, as the simulator logged them. */
  readonly byRoute: Record<string, number>;
  /** Minimum calls by kind. */
  readonly minimumByKind: Record<string, number>;
}

export interface BackfillBenchResult {
  readonly jobs: number;
  readonly candidates: number;
  readonly privateCandidates: number;
  readonly syncedCandidates: number;
  readonly consumers: number;
  /** The queue's redrive count. */
  readonly maxReceiveCount: number;
  readonly limits: { readonly greenhousePer30s: number; readonly beameryPerSecond: number };
  readonly wallSeconds: number;
  /** When the backfill itself (listing and enqueueing) finished. */
  readonly enqueueSeconds: number;
  readonly boundSeconds: number;
  readonly bindingSystem: 'greenhouse' | 'beamery';
  readonly ratio: number;
  /**
   * The ratio as a product: the binding system's safety margin (limit / what the budget lets through),
   * its extra calls (made / minimum), and the rest (CPU, latency, consumers idle at window edges).
   */
  readonly gap: { readonly margin: number; readonly extraCalls: number; readonly rest: number };
  readonly target: number;
  readonly withinTarget: boolean;
  readonly greenhouse: SystemCalls;
  readonly beamery: SystemCalls;
  /** Recruiters' edits made while the backfill ran, and how long each took to reach Beamery. */
  readonly liveEdits?: LiveEditResult;
  /** Greenhouse attachment downloads (signed links, outside the API's rate limit). */
  readonly downloads: number;
  readonly tokenRequests: { readonly greenhouse: number; readonly beamery: number };
  readonly messages: {
    readonly enqueued: number;
    readonly handled: number;
    /** Messages given back to the queue (rate-limited: visibility set to the retry time). */
    readonly handedBack: number;
    /** Consumer invocations that failed because every message of the batch was handed back (a Lambda error on AWS). */
    readonly failedInvocations: number;
    /** The most receives any message needed (the queue's maxReceiveCount moves it to the DLQ). */
    readonly maxReceiveCount: number;
    readonly deadLettered: number;
  };
  /**
   * More than one Beamery record for one Greenhouse id (Greenhouse ids listed), or more memberships,
   * notes, attachments than the data holds (counts): a correctness problem, reported, not fatal.
   */
  readonly duplicates: {
    readonly contacts: readonly number[];
    readonly vacancies: readonly number[];
    readonly memberships: number;
    readonly notes: number;
    readonly attachments: number;
  };
  /**
   * Mean CPU use over the run, in cores: this process (bridge, simulators, fauxqs), DynamoDB Local's
   * JVM, and the whole machine (other workers included). Near the machine's count = CPU-bound.
   */
  readonly cpu: { readonly process: number; readonly dynamodbLocal: number | null; readonly machine: number; readonly cores: number };
  /**
   * DynamoDB requests (the bridge's stores and its shared rate budgets), by operation; `budget`: those
   * of the shared rate budgets (DynamoDbBudgetStore), by method, and per rate-limited API call.
   */
  readonly dynamodbRequests: {
    readonly total: number;
    readonly perSyncedCandidate: number;
    readonly byOperation: Record<string, number>;
    readonly budget: { readonly total: number; readonly perApiCall: number; readonly byMethod: Record<string, number> };
  };
  /**
   * What set the pace: a rate limit when its system's calls filled at least 85% of what the limit
   * allowed over the wall time; else the CPU when the machine was at least 85% busy; else neither
   * (latency: too few consumers in flight, or waiting).
   */
  readonly binding: 'greenhouse rate limit' | 'beamery rate limit' | 'cpu' | 'neither';
}

const SECRET = 'bench-backfill-secret';
/** The deployed default of `sync.maxConcurrency` (lib/config.ts). */
const DEPLOYED_CONSUMERS = 5;
/** Wall time over the bound the binding API's limit sets. */
const TARGET = 1.05;
/** The FIFO event-source mapping's largest batch: the candidates whose reads one invocation shares. */
const CONSUMER_BATCH = 10;
/**
 * What the same bench measured before the consumers read Greenhouse in batches (300 jobs, 5,000
 * candidates; recorded, since the old read pattern no longer exists to run): the baselines the
 * printout puts beside today's figures.
 */
export const BACKFILL_BASELINE = { greenhouseCallsPerCandidate: 6.55, budgetDynamodbPerApiCall: 1.93, projected50kHours: 58 } as const;
/** The documented limits a real tenant projects at: Greenhouse ~50 per 30 s per credential, Beamery 40/s. */
const DOCUMENTED = { greenhousePerSecond: 50 / 30, beameryPerSecond: 40 } as const;
const TARGETS = { greenhouseCallsPerCandidate: 1.0, projected50kHours: 6, liveEditP95Seconds: 60, budgetDynamodbPerApiCall: 0.5 } as const;

/**
 * What a backfill may use of each window (core/rate/budget.ts liveReserve): `quiet`, all but the live
 * reserve's floor (no live traffic seen, the budget's rule); `busy`, all but the whole live share (live
 * traffic in every window, the bound the old fixed share always applied); `whole`, the allowance.
 */
export type BackfillShare = 'quiet' | 'busy' | 'whole';

/**
 * Hours a backfill of `candidates` takes at the documented limits, from the calls per candidate measured
 * (the slower API binds), with what the budget lets bulk traffic use of each window (BackfillShare).
 */
export function projectedBackfillHours(candidates: number, greenhousePerCandidate: number, beameryPerCandidate: number, share: BackfillShare = 'quiet'): number {
  const perSecond = (policy: BudgetPolicy, limitPerSecond: number) => {
    const limit = Math.round((limitPerSecond * policy.windowMs) / 1000);
    const allowed = allowance(limit, policy.safetyMargin);
    const usable =
      share === 'whole' ? allowed : share === 'busy' ? allowed - fullLiveReserve(limit, policy) : bulkAllowance({ limit, liveUsed: 0, liveBefore: 0 }, policy);
    return (usable * 1000) / policy.windowMs;
  };
  const greenhouseSeconds = (candidates * greenhousePerCandidate) / perSecond(GREENHOUSE_BUDGET_POLICY, DOCUMENTED.greenhousePerSecond);
  const beamerySeconds = (candidates * beameryPerCandidate) / perSecond(BEAMERY_BUDGET_POLICY, DOCUMENTED.beameryPerSecond);
  return Math.max(greenhouseSeconds, beamerySeconds) / 3600;
}
/** Harvest v3's largest page [H]: the backfill lists at it. */
const LIST_PAGE = 500;

/** The mix of generated candidates (local/simulators/greenhouse/generate.ts). */
const MIX = { prospects: 0.15, rejected: 0.1, private: 0.02, notes: 0.3, resumes: 0.4 };

interface BeameryState {
  readonly contacts: { integrations?: Record<string, unknown> }[];
  readonly vacancies: { integrations?: Record<string, unknown> }[];
  readonly memberships: unknown[];
  readonly notes: unknown[];
  readonly attachments: unknown[];
}

type Admin = (method: string, path: string, body?: unknown) => Promise<unknown>;

function adminOf(base: string): Admin {
  return async (method, path, body) => {
    const res = await fetch(`${base}/_admin${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : res.json();
  };
}

/** The default scenario's company (users, departments, offices, sources, rejection reasons...) without its jobs and people. */
function referenceScenario(): Record<string, unknown> {
  const scenario = JSON.parse(readFileSync(DEFAULT_SCENARIO_PATH, 'utf8')) as Record<string, unknown>;
  const people = ['candidates', 'applications', 'notes', 'attachments', 'scorecards', 'offers'];
  const jobs = ['jobs', 'job_interview_stages', 'job_owners', 'job_hiring_managers', 'openings', 'job_posts'];
  for (const table of [...people, ...jobs]) delete scenario[table];
  return { ...scenario, name: 'backfill-bench' };
}

interface GreenhouseData {
  candidates: { id: number; private: boolean }[];
  applications: { id: number; candidate_id: number; job_id: number | null; prospect: boolean; rejection_reason_id: number | null }[];
  notes: { candidate_id: number; user_id: number | null; type: string; visibility: string }[];
  attachments: { candidate_id: number | null; type: string; filename: string }[];
  jobs: { id: number; department_id: number | null; office_ids: number[]; is_template: boolean; confidential: boolean }[];
  job_owners: { job_id: number }[];
  job_hiring_managers: { job_id: number }[];
}

async function readGreenhouseData(admin: Admin): Promise<GreenhouseData> {
  const tables = ['candidates', 'applications', 'notes', 'attachments', 'jobs', 'job_owners', 'job_hiring_managers'] as const;
  const rows = await Promise.all(tables.map((name) => admin('GET', `/state?table=${name}`)));
  return Object.fromEntries(tables.map((name, i) => [name, rows[i]])) as unknown as GreenhouseData;
}

/**
 * The calls a clean run of this data must make: one reconcile per entity, each reading what the
 * mapping needs and writing each thing once, with no retry, no 429, no message handled twice and every
 * candidate's jobs already linked when it is reconciled (jobs are listed and enqueued first). The
 * candidates' messages arrive in consumer batches of 10 (the FIFO event-source maximum), whose reads are
 * shared (lambdas/core/sync/batched-candidate-reads.ts), and the company's records are read once per
 * warm container (greenhouse-reference-cache.ts): the floor counts one container. The stack's defaults
 * apply: private candidates blocked, confidential jobs not excluded.
 *
 * Greenhouse (rate-limited `GET /v3/...` only):
 * - the backfill's listings: ceil(jobs / 500) + ceil(non-private candidates / 500) pages;
 * - per job (reconcile-job.ts, job-snapshot.ts): the job (`jobs?ids=`), its stages, owners, hiring
 *   managers; once: the users they name, departments and offices;
 * - per batch of 10 candidates (in the order the backfill lists them): the candidates, their
 *   applications, attachments and notes; the rejection details when an application is rejected;
 *   once: the jobs and stages their applications name (50 per call), the rejection reasons, the note
 *   authors (50 per call).
 * Attachment downloads go to signed links outside the API and its rate limit: counted apart.
 *
 * Beamery (every API call but the token):
 * - per job: create the vacancy;
 * - per non-private candidate: the email search, the contact create, one membership per job
 *   application (prospects have none), one note per copied note (type NOTE, not admin-only), one
 *   upload per resume or cover letter.
 */
export function minimumCalls(data: GreenhouseData): { greenhouse: Record<string, number>; beamery: Record<string, number>; syncedCandidates: number } {
  const synced = data.candidates.filter((c) => !c.private);
  const syncedIds = new Set(synced.map((c) => c.id));
  const group = <T>(rows: T[], key: (row: T) => number | null) => {
    const map = new Map<number, T[]>();
    for (const row of rows) {
      const k = key(row);
      if (k === null || !syncedIds.has(k)) continue;
      map.set(k, [...(map.get(k) ?? []), row]);
    }
    return map;
  };
  const applications = group(data.applications, (a) => a.candidate_id);
  const notes = group(data.notes, (n) => n.candidate_id);
  const attachments = group(data.attachments, (a) => a.candidate_id);
  const ownedJobs = new Set([...data.job_owners, ...data.job_hiring_managers].map((o) => o.job_id));
  const jobs = data.jobs.filter((j) => !j.is_template);

  const perFifty = (n: number) => Math.ceil(n / 50);
  const batches: number[][] = [];
  for (let i = 0; i < synced.length; i += CONSUMER_BATCH) batches.push(synced.slice(i, i + CONSUMER_BATCH).map((c) => c.id));
  const applicationsOf = (ids: number[]) => ids.flatMap((id) => applications.get(id) ?? []);
  const candidateJobs = new Set(synced.flatMap(({ id }) => (applications.get(id) ?? []).filter((a) => !a.prospect && a.job_id !== null).map((a) => a.job_id)));
  const noteAuthors = new Set(synced.flatMap(({ id }) => (notes.get(id) ?? []).flatMap((n) => (n.user_id === null ? [] : [n.user_id]))));
  const anyRejected = synced.some(({ id }) => (applications.get(id) ?? []).some((a) => a.rejection_reason_id !== null));

  const gh: Record<string, number> = {
    'list jobs (backfill)': Math.max(1, Math.ceil(data.jobs.length / LIST_PAGE)),
    'list candidates (backfill)': Math.max(1, Math.ceil(synced.length / LIST_PAGE)),
    // Jobs are read together per consumer batch too (batchJobReads): four calls per batch of ten jobs.
    'job: job, stages, owners, hiring managers': 4 * Math.ceil(jobs.length / CONSUMER_BATCH),
    'job: users, departments, offices (once)': (jobs.some((j) => ownedJobs.has(j.id)) ? 1 : 0) + (jobs.some((j) => j.department_id !== null) ? 1 : 0) + (jobs.some((j) => j.office_ids.length > 0) ? 1 : 0),
    'candidate batch: candidates, applications, attachments, notes': 4 * batches.length,
    'candidate batch: rejection details': batches.filter((ids) => applicationsOf(ids).some((a) => a.rejection_reason_id !== null)).length,
    'candidates: jobs and stages of their applications (once)': 2 * perFifty(candidateJobs.size),
    'candidates: rejection reasons (once)': anyRejected ? 1 : 0,
    'candidates: note authors (once)': perFifty(noteAuthors.size),
  };
  const bm: Record<string, number> = {
    'vacancy create': jobs.length,
    'contact search by email': synced.length,
    'contact create': synced.length,
    'vacancy membership': 0,
    note: 0,
    attachment: 0,
  };
  for (const { id } of synced) {
    const jobApps = (applications.get(id) ?? []).filter((a) => !a.prospect && a.job_id !== null);
    const copiedNotes = (notes.get(id) ?? []).filter((n) => DEFAULT_COPIED_NOTE_TYPES.includes(n.type) && n.visibility !== 'admin_only_visible');
    const files = (attachments.get(id) ?? []).filter((a) => DEFAULT_COPIED_ATTACHMENT_TYPES.includes(a.type));
    bm['vacancy membership']! += new Set(jobApps.map((a) => a.job_id)).size;
    bm['note']! += copiedNotes.length;
    bm['attachment']! += files.length;
  }
  return { greenhouse: gh, beamery: bm, syncedCandidates: synced.length };
}

const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);
const round = (n: number, digits = 2) => Number(n.toFixed(digits));

export async function benchBackfill(options: BackfillBenchOptions = {}): Promise<BackfillBenchResult> {
  const {
    jobs: jobCount = 300,
    candidates: candidateCount = 5_000,
    greenhouseLimit = 2_250,
    beameryLimit = 60,
    consumers = DEPLOYED_CONSUMERS,
    maxReceiveCount,
    liveEditIntervalMs = 3_000,
    timeoutMs = 25 * 60_000,
    log = (line: string) => process.stderr.write(`${line}\n`),
  } = options;

  // The Lambdas run in this process: their logs and metrics would drown the output.
  process.env['POWERTOOLS_LOG_LEVEL'] = 'ERROR';
  process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
  const stack: LocalStack = await startLocalStack({ webhookSecret: SECRET, consumers: {}, pollIntervalMs: 0 });
  const sqs: SQSClient = localSqsClient(stack.sqsEndpoint);
  const dynamodb = new DynamoDBClient({});
  let mapping: { stop(): Promise<void> } | undefined;
  try {
    const greenhouse = adminOf(stack.greenhouse);
    const beamery = adminOf(stack.beamery.replace(/\/v1$/, ''));

    // The data: the default company's reference data, then jobs, then candidates (ids in that order).
    await greenhouse('PUT', '/webhooks', []);
    await greenhouse('PUT', '/scenario', referenceScenario());
    await greenhouse('POST', '/generate/jobs', { count: jobCount, seed: 3 });
    await greenhouse('POST', '/generate/candidates', { count: candidateCount, seed: 5, mix: MIX });
    const data = await readGreenhouseData(greenhouse);
    const minimum = minimumCalls(data);

    const before = (await beamery('GET', '/state')) as BeameryState;

    await greenhouse('PUT', '/rate-limit', { limit: greenhouseLimit });
    await beamery('PATCH', '/settings', { rateLimit: { perSecond: beameryLimit } });
    await greenhouse('DELETE', '/requests');
    await beamery('DELETE', '/requests');
    const rejectedBefore = ((await greenhouse('GET', '/rate-limit')) as { apiRejected: number }).apiRejected;

    // The consumer, as deployed: the real handler behind an event-source mapping with `consumers` batches in flight.
    const queue = stack.resources.queues['greenhouse-changes'];
    const redriveCount = maxReceiveCount ?? queue.maxReceiveCount;
    if (maxReceiveCount !== undefined) {
      await sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: queue.url,
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queue.deadLetter.arn, maxReceiveCount }) },
        }),
      );
    }
    const { handler } = await import('#handlers/greenhouse-changes');
    let handled = 0;
    let handedBack = 0;
    let failedInvocations = 0;
    let mostReceives = 0;
    let lastHandledAt = 0;
    const unexpected: string[] = [];
    mapping = startEventSourceMapping({
      sqs,
      queue,
      maxConcurrency: consumers,
      handler: async (event, context) => {
        for (const record of event.Records) mostReceives = Math.max(mostReceives, Number(record.attributes.ApproximateReceiveCount));
        try {
          const response = (await handler(event, context)) as SQSBatchResponse;
          const failed = response.batchItemFailures.length;
          handled += event.Records.length - failed;
          handedBack += failed;
          if (failed < event.Records.length) lastHandledAt = performance.now();
          return response;
        } catch (error) {
          // Powertools throws when every record of a batch failed (here: all rate-limited): Lambda counts an error.
          failedInvocations++;
          handedBack += event.Records.length;
          throw error;
        }
      },
      onError: (error, stage) => {
        if (stage === 'invoke' && (error as Error).name === 'FullBatchFailureError') return;
        unexpected.push(`${stage}: ${(error as Error).name}: ${(error as Error).message}`);
      },
    });

    // The backfill, as bin/bridge.ts runs it.
    const config = readConfig();
    const dynamodbOps: Record<string, number> = {};
    const dynamodbHost = new URL(stack.dynamodbEndpoint).host;
    const countRequest = (message: unknown) => {
      const request = (message as { request: ClientRequest }).request;
      if (String(request.getHeader('host')) !== dynamodbHost) return;
      const operation = String(request.getHeader('x-amz-target') ?? 'unknown').replace(/^DynamoDB_\d+\./, '');
      dynamodbOps[operation] = (dynamodbOps[operation] ?? 0) + 1;
    };
    diagnostics.subscribe('http.client.request.start', countRequest);
    const budgetCalls = countBudgetStoreCalls();
    const cpuStart = cpuSnapshot(stack.dynamodbPid);
    const start = performance.now();
    let lastProgress = '';
    const ticker = setInterval(() => {
      const seconds = Math.round((performance.now() - start) / 1000);
      log(`  backfill bench ${seconds}s: ${lastProgress}; consumers handled ${handled}, handed back ${handedBack}`);
    }, 15_000);
    let enqueueSeconds: number;
    let enqueued: number;
    let liveEdits: ReturnType<typeof startLiveEdits> | undefined;
    if (liveEditIntervalMs > 0) {
      // Only the edits below change Greenhouse from here on: their webhooks go to the stack's ingest.
      await greenhouse('PUT', '/webhooks', [{ url: stack.webhookUrl, secret: SECRET }]);
      liveEdits = startLiveEdits({
        greenhouse,
        beamery,
        idMap: new DynamoDbIdMap(dynamodb, requireTableName(config, 'id-map')),
        candidateIds: data.candidates.filter((c) => !c.private).map((c) => c.id),
        intervalMs: liveEditIntervalMs,
      });
    }
    try {
      const result = await runBackfill(
        awsBackfillDependencies(config, { dynamodb, sqs }, (progress) => (lastProgress = formatProgress(progress))),
        { phases: ['jobs', 'candidates'], restart: true },
      );
      enqueueSeconds = (performance.now() - start) / 1000;
      enqueued = result.enqueued;
      liveEdits?.stop();

      // Drained: nothing visible or in flight, every message handled, and the DLQ checked as we go.
      const deadline = start + timeoutMs;
      for (;;) {
        const [depth, dead] = await Promise.all([queueDepth(sqs, queue.url), queueDepth(sqs, queue.deadLetter.url)]);
        const where = () =>
          `after ${Math.round((performance.now() - start) / 1000)} s: ${handled} of ${enqueued} messages handled, ${handedBack} hand-backs ` +
          `(${failedInvocations} invocations failed whole), up to ${mostReceives} receives of one message (redrive count ${redriveCount})`;
        if (dead.visible + dead.inFlight > 0) {
          throw new Error(
            `backfill bench: ${dead.visible + dead.inFlight} message(s) reached the greenhouse-changes DLQ ${where()}. ` +
              'Rate-limited messages go back to the queue, and every receive counts toward the redrive count; ' +
              'BENCH_BACKFILL_MAX_RECEIVE_COUNT (the stack setting maxReceiveCount) measures past it.',
          );
        }
        if (depth.visible + depth.inFlight === 0 && handled >= enqueued) break;
        if (performance.now() > deadline) throw new Error(`backfill bench: not drained ${where()}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    } finally {
      clearInterval(ticker);
      diagnostics.unsubscribe('http.client.request.start', countRequest);
      budgetCalls.stop();
    }
    const liveEditResult = await liveEdits?.settle(120_000);
    const wallSeconds = (lastHandledAt - start) / 1000;
    const cpu = cpuSince(cpuStart, stack.dynamodbPid, (performance.now() - start) / 1000);
    await mapping.stop();
    mapping = undefined;

    // Complete? Every non-private candidate has a contact, every job a vacancy, every membership, note
    // and resume arrived, nothing dead-lettered: otherwise the bench fails. Duplicates (two contacts
    // or vacancies for one Greenhouse id) do not stop it, so the numbers still print, but are reported.
    const state = (await beamery('GET', '/state')) as BeameryState;
    const contactsByCandidate = countBy(state.contacts.map((c) => greenhouseIdOf(c)));
    const vacanciesByJob = countBy(state.vacancies.map((v) => greenhouseIdOf(v)));
    const howMany = (map: Map<string, number>, id: number) => map.get(String(id)) ?? 0;
    const problems: string[] = [];
    const missing = data.candidates.filter((c) => !c.private && howMany(contactsByCandidate, c.id) === 0);
    if (missing.length > 0) problems.push(`${missing.length} non-private candidate(s) without a contact (e.g. ${missing.slice(0, 5).map((c) => c.id).join(', ')})`);
    const leaked = data.candidates.filter((c) => c.private && howMany(contactsByCandidate, c.id) > 0);
    if (leaked.length > 0) problems.push(`${leaked.length} private candidate(s) reached Beamery`);
    const noVacancy = data.jobs.filter((j) => howMany(vacanciesByJob, j.id) === 0);
    if (noVacancy.length > 0) problems.push(`${noVacancy.length} job(s) without a vacancy (e.g. ${noVacancy.slice(0, 5).map((j) => j.id).join(', ')})`);
    const created = {
      memberships: state.memberships.length - before.memberships.length,
      notes: state.notes.length - before.notes.length,
      attachments: state.attachments.length - before.attachments.length,
    };
    const expected = { memberships: minimum.beamery['vacancy membership']!, notes: minimum.beamery['note']!, attachments: minimum.beamery['attachment']! };
    for (const what of ['memberships', 'notes', 'attachments'] as const) {
      if (created[what] < expected[what]) problems.push(`${created[what]} new ${what} in Beamery, expected ${expected[what]}`);
    }
    const deadLettered = await deadLetterCount(sqs, stack);
    if (deadLettered > 0) problems.push(`${deadLettered} message(s) on dead-letter queues`);
    if (unexpected.length > 0) problems.push(`consumer errors: ${[...new Set(unexpected)].slice(0, 5).join('; ')}`);
    if (problems.length > 0) throw new Error(`backfill bench: the sync is incomplete:\n  ${problems.join('\n  ')}`);
    const duplicates = {
      contacts: data.candidates.filter((c) => howMany(contactsByCandidate, c.id) > 1).map((c) => c.id),
      vacancies: data.jobs.filter((j) => howMany(vacanciesByJob, j.id) > 1).map((j) => j.id),
      memberships: created.memberships - expected.memberships,
      notes: created.notes - expected.notes,
      attachments: created.attachments - expected.attachments,
    };

    // Calls, from the simulators' own logs.
    const ghRoutes = (await greenhouse('GET', '/requests')) as Record<string, number>;
    const bmRoutes = (await beamery('GET', '/requests')) as Record<string, { total: number; byStatus: Record<string, number> }>;
    const ghRejected = ((await greenhouse('GET', '/rate-limit')) as { apiRejected: number }).apiRejected - rejectedBefore;
    const ghApi = Object.fromEntries(Object.entries(ghRoutes).filter(([route]) => route.includes(' /v3/')));
    const bmApi = Object.fromEntries(
      Object.entries(bmRoutes)
        .filter(([route]) => !route.includes('/oauth/token') && !route.includes('/_admin'))
        .map(([route, e]) => [route, e.total]),
    );
    const bm429 = Object.entries(bmRoutes)
      .filter(([route]) => !route.includes('/oauth/token'))
      .reduce((n, [, e]) => n + (e.byStatus['429'] ?? 0), 0);

    const synced = minimum.syncedCandidates;
    const system = (actual: Record<string, number>, minimumByKind: Record<string, number>, perSecond: number, rejected429: number): SystemCalls => {
      const total = sum(actual);
      const min = sum(minimumByKind);
      return {
        actual: total,
        minimum: min,
        allowedPerSecond: round(perSecond, 3),
        boundSeconds: round(min / perSecond, 1),
        actualBoundSeconds: round(total / perSecond, 1),
        perSyncedCandidate: round(total / synced),
        utilisation: round(total / perSecond / wallSeconds, 3),
        minimumPerSyncedCandidate: round(min / synced),
        rejected429,
        byRoute: actual,
        minimumByKind,
      };
    };
    const gh = system(ghApi, minimum.greenhouse, greenhouseLimit / (GREENHOUSE_BUDGET_POLICY.windowMs / 1000), ghRejected);
    const bm = system(bmApi, minimum.beamery, beameryLimit / (BEAMERY_BUDGET_POLICY.windowMs / 1000), bm429);
    const boundSeconds = Math.max(gh.boundSeconds, bm.boundSeconds);
    const ratio = wallSeconds / boundSeconds;
    const bindingSystem = gh.boundSeconds >= bm.boundSeconds ? 'greenhouse' : 'beamery';
    const [binding, policy, limit] = bindingSystem === 'greenhouse' ? [gh, GREENHOUSE_BUDGET_POLICY, greenhouseLimit] : [bm, BEAMERY_BUDGET_POLICY, beameryLimit];
    const margin = limit / allowance(limit, policy.safetyMargin);
    const extraCalls = binding.actual / binding.minimum;
    return {
      jobs: data.jobs.length,
      candidates: data.candidates.length,
      privateCandidates: data.candidates.length - synced,
      syncedCandidates: synced,
      consumers,
      maxReceiveCount: redriveCount,
      limits: { greenhousePer30s: greenhouseLimit, beameryPerSecond: beameryLimit },
      wallSeconds: round(wallSeconds, 1),
      enqueueSeconds: round(enqueueSeconds, 1),
      boundSeconds: round(boundSeconds, 1),
      bindingSystem,
      ratio: round(ratio, 3),
      gap: { margin: round(margin, 3), extraCalls: round(extraCalls, 3), rest: round(ratio / margin / extraCalls, 3) },
      target: TARGET,
      withinTarget: ratio <= TARGET,
      greenhouse: gh,
      beamery: bm,
      ...(liveEditResult ? { liveEdits: liveEditResult } : {}),
      downloads: ghRoutes[Object.keys(ghRoutes).find((r) => r.includes('/s3/attachments')) ?? ''] ?? 0,
      tokenRequests: {
        greenhouse: ghRoutes['POST /token'] ?? 0,
        beamery: Object.entries(bmRoutes).filter(([route]) => route.includes('/oauth/token')).reduce((n, [, e]) => n + e.total, 0),
      },
      messages: { enqueued, handled, handedBack, failedInvocations, maxReceiveCount: mostReceives, deadLettered },
      duplicates,
      cpu,
      dynamodbRequests: {
        total: sum(dynamodbOps),
        perSyncedCandidate: round(sum(dynamodbOps) / synced, 1),
        byOperation: sortedByCount(dynamodbOps),
        budget: { total: sum(budgetCalls.counts), perApiCall: round(sum(budgetCalls.counts) / (gh.actual + bm.actual)), byMethod: sortedByCount(budgetCalls.counts) },
      },
      binding:
        Math.max(gh.utilisation, bm.utilisation) >= 0.85
          ? gh.utilisation >= bm.utilisation
            ? 'greenhouse rate limit'
            : 'beamery rate limit'
          : cpu.machine >= 0.85 * cpu.cores
            ? 'cpu'
            : 'neither',
    };
  } finally {
    await mapping?.stop();
    sqs.destroy();
    dynamodb.destroy();
    await stack.stop();
  }
}

interface CpuSnapshot {
  readonly process: NodeJS.CpuUsage;
  readonly jvmTicks: number | null;
  readonly machine: { idle: number; total: number };
}

function machineTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const { times } of cpus()) {
    idle += times.idle;
    total += times.user + times.nice + times.sys + times.idle + times.irq;
  }
  return { idle, total };
}

/** utime + stime of a process, in clock ticks (Linux /proc); null elsewhere. */
function processTicks(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

function cpuSnapshot(jvmPid: number): CpuSnapshot {
  return { process: process.cpuUsage(), jvmTicks: processTicks(jvmPid), machine: machineTimes() };
}

const CLOCK_TICKS_PER_SECOND = 100;

function cpuSince(start: CpuSnapshot, jvmPid: number, seconds: number): BackfillBenchResult['cpu'] {
  const own = process.cpuUsage(start.process);
  const jvm = processTicks(jvmPid);
  const machine = machineTimes();
  const cores = cpus().length;
  const busy = 1 - (machine.idle - start.machine.idle) / Math.max(1, machine.total - start.machine.total);
  return {
    process: round((own.user + own.system) / 1e6 / seconds),
    dynamodbLocal: jvm !== null && start.jvmTicks !== null ? round((jvm - start.jvmTicks) / CLOCK_TICKS_PER_SECOND / seconds) : null,
    machine: round(busy * cores),
    cores,
  };
}

/**
 * Counts the shared rate budget's DynamoDB requests by wrapping DynamoDbBudgetStore's methods (each
 * is one request) for the length of the run; behaviour is unchanged.
 */
function countBudgetStoreCalls(): { counts: Record<string, number>; stop(): void } {
  const counts: Record<string, number> = {};
  const proto = DynamoDbBudgetStore.prototype as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const methods = ['load', 'take', 'openWindow', 'giveBack', 'apply'] as const;
  const originals = methods.map((name) => proto[name]!);
  methods.forEach((name, i) => {
    const original = originals[i]!;
    proto[name] = function (this: unknown, ...args: unknown[]) {
      counts[name] = (counts[name] ?? 0) + 1;
      return original.apply(this, args);
    };
  });
  return { counts, stop: () => methods.forEach((name, i) => (proto[name] = originals[i]!)) };
}

function sortedByCount(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([, a], [, b]) => b - a));
}

function countBy(keys: (string | undefined)[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

async function deadLetterCount(sqs: SQSClient, stack: LocalStack): Promise<number> {
  let total = 0;
  for (const queue of Object.values(stack.resources.queues)) {
    const depth = await queueDepth(sqs, queue.deadLetter.url);
    total += depth.visible + depth.inFlight;
  }
  return total;
}

/** The printout of run.ts. */
export function describeBackfill(r: BackfillBenchResult): string[] {
  const bridgeAllowance = (limit: number, margin: number) => allowance(limit, margin);
  const lines = [
    `backfill: ${r.jobs} jobs + ${r.candidates} candidates (${r.privateCandidates} private, not synced) through both simulators, ${r.consumers} consumer batches in flight; ` +
      `limits used: Greenhouse ${r.limits.greenhousePer30s} per 30 s (${r.greenhouse.allowedPerSecond}/s; the bridge takes ${bridgeAllowance(r.limits.greenhousePer30s, GREENHOUSE_BUDGET_POLICY.safetyMargin)}), ` +
      `Beamery ${r.limits.beameryPerSecond}/s (the bridge takes ${bridgeAllowance(r.limits.beameryPerSecond, BEAMERY_BUDGET_POLICY.safetyMargin)})`,
    `backfill: wall ${r.wallSeconds} s (listing done at ${r.enqueueSeconds} s) vs bound ${r.boundSeconds} s (${r.bindingSystem}) = ${r.ratio}× ` +
      `(target ≤ ${r.target}×: ${r.withinTarget ? 'met' : 'MISSED'}) = safety margin ×${r.gap.margin} · extra calls ×${r.gap.extraCalls} · the rest ×${r.gap.rest}`,
  ];
  for (const [name, s] of [
    ['Greenhouse', r.greenhouse],
    ['Beamery', r.beamery],
  ] as const) {
    lines.push(
      `backfill, ${name}: ${s.actual} calls = ${s.perSyncedCandidate} per synced candidate (minimum ${s.minimum} = ${s.minimumPerSyncedCandidate}); ` +
        `bound ${s.boundSeconds} s at the minimum, ${s.actualBoundSeconds} s at the calls made; ${s.rejected429} 429s`,
    );
  }
  lines.push(
    `backfill: ${r.messages.enqueued} messages, ${r.messages.handedBack} hand-backs (rate limited; ${r.messages.failedInvocations} invocations failed whole), ` +
      `at most ${r.messages.maxReceiveCount} receives of one message (DLQ after ${r.maxReceiveCount}), ${r.messages.deadLettered} dead-lettered; ` +
      `${r.downloads} attachment downloads; tokens ${r.tokenRequests.greenhouse} Greenhouse, ${r.tokenRequests.beamery} Beamery; ` +
      `${r.dynamodbRequests.total} DynamoDB requests (${r.dynamodbRequests.perSyncedCandidate} per synced candidate; ` +
      `${r.dynamodbRequests.budget.total} of them the shared rate budget's, ${r.dynamodbRequests.budget.perApiCall} per API call)`,
    `backfill: binding: ${r.binding}${r.binding === 'cpu' ? ' — CPU-BOUND: the machine, not the limits, set the pace' : ''} ` +
      `(limit utilisation Greenhouse ${r.greenhouse.utilisation}, Beamery ${r.beamery.utilisation}; ` +
      `CPU in cores of ${r.cpu.cores}: this process ${r.cpu.process}, DynamoDB Local ${r.cpu.dynamodbLocal ?? 'n/a'}, whole machine ${r.cpu.machine})`,
  );
  const projected = projectedBackfillHours(50_000, r.greenhouse.perSyncedCandidate, r.beamery.perSyncedCandidate);
  const projectedBusy = projectedBackfillHours(50_000, r.greenhouse.perSyncedCandidate, r.beamery.perSyncedCandidate, 'busy');
  const projectedWhole = projectedBackfillHours(50_000, r.greenhouse.perSyncedCandidate, r.beamery.perSyncedCandidate, 'whole');
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  lines.push(
    `backfill target: Greenhouse calls per synced candidate ${r.greenhouse.perSyncedCandidate} (before: ${BACKFILL_BASELINE.greenhouseCallsPerCandidate}; target ≤ ${TARGETS.greenhouseCallsPerCandidate}: ${verdict(r.greenhouse.perSyncedCandidate <= TARGETS.greenhouseCallsPerCandidate)})`,
    `backfill target: 50,000 candidates at the documented limits (Greenhouse 50 per 30 s, Beamery 40/s) projected at ${projected.toFixed(1)} h ` +
      `with what the budget leaves a backfill while no live traffic is seen (all but the live reserve's floor; ` +
      `${projectedBusy.toFixed(1)} h with live traffic in every window, ${projectedWhole.toFixed(1)} h with the whole allowance) ` +
      `(before: ~${BACKFILL_BASELINE.projected50kHours} h; target ≤ ${TARGETS.projected50kHours} h: ${verdict(projected <= TARGETS.projected50kHours)})`,
    `backfill target: shared rate budget ${r.dynamodbRequests.budget.perApiCall} DynamoDB requests per API call (before: ${BACKFILL_BASELINE.budgetDynamodbPerApiCall}; target ≤ ${TARGETS.budgetDynamodbPerApiCall}: ${verdict(r.dynamodbRequests.budget.perApiCall <= TARGETS.budgetDynamodbPerApiCall)})`,
  );
  if (r.liveEdits) {
    const e = r.liveEdits;
    lines.push(
      `backfill target: live edits during the backfill (one per ${e.intervalMs / 1000} s through webhooks): ${e.landed} of ${e.edits} reached Beamery, p50 ${e.p50Seconds} s, p95 ${e.p95Seconds} s, max ${e.maxSeconds} s ` +
        `(before: no priority, waited behind the backfill; target p95 ≤ ${TARGETS.liveEditP95Seconds} s: ${verdict(e.p95Seconds <= TARGETS.liveEditP95Seconds)})`,
    );
  }
  const d = r.duplicates;
  if (d.contacts.length + d.vacancies.length + d.memberships + d.notes + d.attachments > 0) {
    lines.push(
      `backfill: WRONG: duplicates in Beamery: ${d.vacancies.length} job(s) with 2+ vacancies (${d.vacancies.slice(0, 5).join(', ')}), ` +
        `${d.contacts.length} candidate(s) with 2+ contacts (${d.contacts.slice(0, 5).join(', ')}), ${d.memberships} extra memberships, ${d.notes} extra notes, ${d.attachments} extra attachments`,
    );
  }
  return lines;
}

/**
 * Overrides for a quicker or a different run, e.g.
 * `BENCH_BACKFILL_CANDIDATES=500 BENCH_BACKFILL_JOBS=30 npx tsx bench/run.ts backfill`.
 */
export function backfillOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): BackfillBenchOptions {
  const names = {
    jobs: 'BENCH_BACKFILL_JOBS',
    candidates: 'BENCH_BACKFILL_CANDIDATES',
    greenhouseLimit: 'BENCH_BACKFILL_GREENHOUSE_LIMIT',
    beameryLimit: 'BENCH_BACKFILL_BEAMERY_LIMIT',
    consumers: 'BENCH_BACKFILL_CONSUMERS',
    maxReceiveCount: 'BENCH_BACKFILL_MAX_RECEIVE_COUNT',
    liveEditIntervalMs: 'BENCH_BACKFILL_LIVE_EDIT_MS',
  } as const;
  const options: Record<string, number> = {};
  for (const [key, name] of Object.entries(names)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
    options[key] = value;
  }
  return options;
}

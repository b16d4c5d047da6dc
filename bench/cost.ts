/**
 * The monthly AWS bill of one deployment, for three tenant sizes, split into what the stack costs
 * standing still (fixed) and what each application, edit, webhook, push and screening adds (variable).
 *
 * What is counted, not assumed: the stack's alarms (and the metrics each evaluates), dashboards,
 * secrets, KMS keys and each function's memory come from the synthesized default stack; the custom
 * metrics from EMITTED_METRICS (lambdas/core/metrics.ts); API calls per edit from the bulk-edit
 * section, per synced candidate from the backfill section, the rate budget's DynamoDB requests per
 * API call from the rate-limit section and the Bedrock cost per screening from the ai section, when
 * .bench/results.json holds them. Everything else is a per-unit constant below,
 * estimated from the code and marked as such; durations are estimates of AWS-side latency, not this
 * machine's. Free tiers are not subtracted (they are per account, and other workloads use them).
 */
import { App } from 'aws-cdk-lib';
import { BridgeStack } from '#lib/bridge-stack';
import { parseStackConfig } from '#lib/config';
import { EMITTED_METRICS } from '#core/metrics';
import { FUNCTION_SERVICES, type LambdaFunctionName } from '#lambdas/runtime';
import { DEFAULT_SCHEDULE_MINUTES } from '#core/sync/poll-window';
import type { AiBenchResult } from './ai.ts';
import type { BackfillBenchResult } from './backfill.ts';
import type { BulkEditResult } from './bulk-edit.ts';
import type { RateLimitResult } from './rate-limit.ts';

/** us-east-1 public list prices, taken on this date from the pages named; re-check them before quoting a customer. */
export const PRICES_AS_OF = '2026-12-04';
/** AWS Lambda pricing, Arm: per GB-second (first 7.5 billion GB-s a month) and per request. */
const LAMBDA_ARM_GB_SECOND_USD = 0.0000133334;
const LAMBDA_REQUEST_USD = 0.2 / 1e6;
/** Amazon SQS pricing, FIFO queues: per request (each 64 KB chunk of a payload is a request). */
const SQS_FIFO_REQUEST_USD = 0.5 / 1e6;
/** Amazon DynamoDB pricing, on-demand: per write and read request unit, storage and continuous backups (PITR) per GB-month. */
const DYNAMODB_WRITE_UNIT_USD = 0.625 / 1e6;
const DYNAMODB_READ_UNIT_USD = 0.125 / 1e6;
const DYNAMODB_STORAGE_GB_MONTH_USD = 0.25;
const DYNAMODB_PITR_GB_MONTH_USD = 0.2;
/** Amazon API Gateway pricing, REST APIs: per request (first 333 million). */
const API_GATEWAY_REST_REQUEST_USD = 3.5 / 1e6;
/** AWS Secrets Manager pricing: per secret-month and per API call. */
const SECRET_MONTH_USD = 0.4;
const SECRETS_API_CALL_USD = 0.05 / 10_000;
/** Amazon CloudWatch pricing: custom metric-month (first 10,000; prorated by the hour it receives data), standard alarm per metric it evaluates, dashboard-month, logs ingested and stored. */
const CUSTOM_METRIC_MONTH_USD = 0.3;
const ALARM_METRIC_MONTH_USD = 0.1;
const DASHBOARD_MONTH_USD = 3;
const LOGS_INGESTED_GB_USD = 0.5;
const LOGS_STORED_GB_MONTH_USD = 0.03;
/** AWS Key Management Service pricing: customer managed key-month, and requests. */
const KMS_KEY_MONTH_USD = 1;
const KMS_REQUEST_USD = 0.03 / 10_000;
/** Amazon EventBridge pricing, Scheduler: per invocation. */
const SCHEDULER_INVOCATION_USD = 1 / 1e6;
/** AWS X-Ray pricing: traces recorded (the first 100,000 a month free, not subtracted). */
const XRAY_TRACE_RECORDED_USD = 5 / 1e6;
/** AWS WAF pricing: web ACL-month, rule-month, requests (only with waf.enabled). */
const WAF_WEB_ACL_MONTH_USD = 5;
const WAF_RULE_MONTH_USD = 1;
const WAF_REQUEST_USD = 0.6 / 1e6;

const HOURS_PER_MONTH = 730;
/** Hours a month with recruiting activity (webhooks, edits): about 12 a working day. */
const WORKING_HOURS_PER_MONTH = 260;

/**
 * Per-unit AWS work, ESTIMATED from the code at this commit (not measured by the bench): durations
 * are AWS-side guesses dominated by API latency, DynamoDB units count the stores' calls.
 */
const ESTIMATE = {
  /** Ingest: verify, one Idempotency put and update (Powertools), 1–2 SendMessage. */
  webhook: { lambdaMs: 80, dynamoWrites: 2, sqsSends: 1.3, logKb: 1.2 + 0.6 /* API access log */ },
  /** Webhooks per application (created, ~3 stage changes, a reject or hire) and per candidate edit. */
  webhooksPerApplication: 5,
  webhooksPerEdit: 1,
  /** ai-tasks messages per application (new application, stage changes). */
  aiMessagesPerApplication: 4,
  /** Share of webhook-carried changes the hourly pollers queue once more (several edits in an hour collapse). */
  pollRequeueShare: 0.7,
  /** A sync message: Ledger and IdMap reads and writes besides the rate budget; SQS receive + delete; ms per API call. */
  syncMessage: { baseMs: 150, msPerApiCall: 120, dynamoReads: 4, dynamoWrites: 2, sqsRequests: 3, logKb: 1.5 },
  /** A sync message for an entity already in sync (a poller's repeat): reads only. */
  noopMessage: { greenhouseCalls: 2, beameryCalls: 1 },
  /** The rate budget's DynamoDB requests per API call when the rate-limit section has not run: a read and two conditional writes, the most one call makes. */
  rateBudgetPerCall: { reads: 1, writes: 2 },
  /** API calls per edit when the bulk-edit section has not run. */
  callsPerEdit: { greenhouse: 3, beamery: 3 },
  /** API calls per synced candidate (backfill) when the backfill section has not run. */
  callsPerBackfilledCandidate: { greenhouse: 4, beamery: 4 },
  /** A screening: Bedrock latency and a PDF parse; Greenhouse reads and writes; AI memory and Audit. */
  screening: { lambdaMs: 6_000, greenhouseCalls: 6, dynamoReads: 1, dynamoWrites: 2, logKb: 2 },
  /** An ai-tasks message with the AI off or nothing to do. */
  aiNoop: { lambdaMs: 60, logKb: 0.5 },
  /** Bedrock per screening when the ai section has not run (1-page résumé, full answer, default pricing). */
  bedrockPerScreeningUsd: 0.00292,
  push: { lambdaMs: 60, contactsPerPush: 3, logKb: 1 },
  /** A scheduled run: ~1 s, two API calls, a watermark read and write. */
  pollRun: { lambdaMs: 1_000, apiCalls: 2, dynamoReads: 2, dynamoWrites: 1, logKb: 1 },
  /** Lambda's SQS event source long-polls each queue even when idle: ~5 pollers × 3 receives a minute (AWS's description of SQS event sources). */
  idleReceivesPerQueue: 5 * 3 * 60 * HOURS_PER_MONTH,
  /** Powertools caches each secret 5 minutes: a warm container reads it 12 times an hour. */
  secretReadsPerHourPerContainer: 12,
  /** DynamoDB's and Secrets Manager's use of their AWS managed keys: about one KMS request per 5 minutes per table in use. */
  kmsRequestsPerTableHour: 12,
  /** Ledger, IdMap and Audit bytes per synced candidate (sync state, links, audit). */
  storedKbPerCandidate: 3,
} as const;

export interface Tenant {
  readonly name: string;
  readonly applications: number;
  readonly candidateEdits: number;
  /** Beamery contact changes the poller finds (and pushes' contacts). */
  readonly beameryChanges: number;
  readonly pushes: number;
  /** Applications screened by the AI (0 with the AI off, the default). */
  readonly screenings: number;
}

export const TENANTS: readonly Tenant[] = [
  { name: 'small', applications: 500, candidateEdits: 3_000, beameryChanges: 500, pushes: 50, screenings: 500 },
  { name: 'medium', applications: 2_000, candidateEdits: 15_000, beameryChanges: 2_000, pushes: 200, screenings: 2_000 },
  { name: 'large', applications: 20_000, candidateEdits: 150_000, beameryChanges: 20_000, pushes: 2_000, screenings: 20_000 },
];

type Line = { readonly item: string; readonly fixed: number; readonly variable: number };

export interface TenantCost {
  readonly tenant: Tenant;
  readonly lines: readonly Line[];
  readonly fixedUsd: number;
  readonly variableUsd: number;
  readonly bedrockUsd: number;
  readonly customMetricsBilled: number;
  readonly webhooks: number;
  /** A one-time backfill of a year's candidates (12 months of applications), not in the monthly figures. */
  readonly backfillUsd: number;
}

export interface CostBenchResult {
  readonly pricesAsOf: string;
  readonly inventory: Inventory;
  /** Where each per-unit input came from. */
  readonly sources: Readonly<Record<string, 'measured' | 'estimate'>>;
  readonly customMetrics: { readonly count: number; readonly everyHourUsd: number };
  readonly tenants: readonly TenantCost[];
  readonly knobs: readonly { readonly knob: string; readonly monthlyUsd: number }[];
}

interface Inventory {
  readonly alarms: number;
  /** Metrics the alarms evaluate (a metric-math alarm is billed per metric). */
  readonly alarmMetrics: number;
  readonly dashboards: number;
  readonly secrets: number;
  readonly kmsKeys: number;
  readonly tables: number;
  readonly queues: number;
  /** Memory (MB) by service. */
  readonly memoryMb: Readonly<Record<string, number>>;
  readonly wafRules: number;
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

function synthesized(bridge: Record<string, unknown>): Resources {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new BridgeStack(app, 'Cost', { config: parseStackConfig(bridge) });
  return (app.synth().getStackByName(stack.stackName).template as { Resources: Resources }).Resources;
}

/** What the default stack deploys, counted from its template. */
export function stackInventory(): Inventory {
  const resources = Object.values(synthesized({}));
  const ofType = (type: string) => resources.filter((r) => r.Type === type);
  const alarms = ofType('AWS::CloudWatch::Alarm');
  const memoryMb = Object.fromEntries(
    ofType('AWS::Lambda::Function').map((f) => {
      const env = (f.Properties?.['Environment'] as { Variables?: Record<string, string> } | undefined)?.Variables ?? {};
      return [env['POWERTOOLS_SERVICE_NAME'] ?? 'other', Number(f.Properties?.['MemorySize'] ?? 128)];
    }),
  );
  const waf = Object.values(synthesized({ waf: { enabled: true } })).find((r) => r.Type === 'AWS::WAFv2::WebACL');
  return {
    alarms: alarms.length,
    alarmMetrics: alarms.reduce((n, a) => n + (Array.isArray(a.Properties?.['Metrics']) ? (a.Properties['Metrics'] as { MetricStat?: unknown }[]).filter((m) => m.MetricStat).length : 1), 0),
    dashboards: ofType('AWS::CloudWatch::Dashboard').length,
    secrets: ofType('AWS::SecretsManager::Secret').length,
    kmsKeys: ofType('AWS::KMS::Key').length,
    tables: ofType('AWS::DynamoDB::Table').length,
    queues: ofType('AWS::SQS::Queue').filter((q) => q.Properties?.['FifoQueue'] === true && !String(q.Properties['QueueName'] ?? '').includes('-dlq')).length,
    memoryMb,
    wafRules: ((waf?.Properties?.['Rules'] as unknown[] | undefined) ?? []).length,
  };
}

export interface MeasuredInputs {
  readonly backfill?: BackfillBenchResult | { error: string } | undefined;
  readonly bulkEdit?: BulkEditResult | undefined;
  readonly ai?: AiBenchResult | undefined;
  readonly rateLimit?: readonly RateLimitResult[] | undefined;
}

/** Hours in a month with at least one of `events`, spread over the working hours (Poisson). */
function activeHours(events: number, hours = WORKING_HOURS_PER_MONTH): number {
  return events <= 0 ? 0 : hours * (1 - Math.exp(-events / hours));
}

export function benchCost(measured: MeasuredInputs, inventory: Inventory = stackInventory()): CostBenchResult {
  const sources: Record<string, 'measured' | 'estimate'> = {};
  const bulk = measured.bulkEdit;
  sources['API calls per edit (bulk-edit)'] = bulk ? 'measured' : 'estimate';
  const callsPerEdit = bulk ? { greenhouse: bulk.greenhouseCallsPerEdit, beamery: bulk.beameryWritesPerEdit + 1 } : ESTIMATE.callsPerEdit;
  const backfill = measured.backfill && !('error' in measured.backfill) ? measured.backfill : undefined;
  sources['API calls per backfilled candidate (backfill)'] = backfill ? 'measured' : 'estimate';
  const callsPerCandidate = backfill ? { greenhouse: backfill.greenhouse.perSyncedCandidate, beamery: backfill.beamery.perSyncedCandidate } : ESTIMATE.callsPerBackfilledCandidate;
  const prompt = measured.ai?.prompt[0];
  sources['Bedrock cost per screening (ai)'] = prompt ? 'measured' : 'estimate';
  const bedrockPerScreening = prompt ? prompt.costUsdFullAnswer : ESTIMATE.bedrockPerScreeningUsd;
  const limits = measured.rateLimit ?? [];
  sources['rate budget DynamoDB requests per API call (rate-limit)'] = limits.length ? 'measured' : 'estimate';
  // Measured: all of the budget's requests over all calls of both runs, priced as writes (most are conditional updates).
  const budgetRequests = limits.reduce((n, r) => n + r.budgetRequests, 0);
  const budgetCalls = limits.reduce((n, r) => n + (r.budgetRequestsPerApiCall > 0 ? r.budgetRequests / r.budgetRequestsPerApiCall : 0), 0);
  const rateBudgetPerCall = budgetCalls > 0 ? { reads: 0, writes: budgetRequests / budgetCalls } : ESTIMATE.rateBudgetPerCall;
  sources['durations, DynamoDB units, SQS requests, log bytes'] = 'estimate';

  const mem = (service: string) => (inventory.memoryMb[service] ?? 512) / 1024;
  const emitted = Object.entries(EMITTED_METRICS).flatMap(([fn, names]) => names.map((name) => ({ fn: fn as LambdaFunctionName, name })));
  const tenants = TENANTS.map((tenant) => tenantCost(tenant, { inventory, callsPerEdit, callsPerCandidate, bedrockPerScreening, rateBudgetPerCall, mem, emitted }));
  const knobs = [
    { knob: 'dashboard (one)', monthlyUsd: DASHBOARD_MONTH_USD },
    { knob: `alarms (${inventory.alarms}, ${inventory.alarmMetrics} metrics evaluated)`, monthlyUsd: inventory.alarmMetrics * ALARM_METRIC_MONTH_USD },
    { knob: 'one custom metric with data every hour', monthlyUsd: CUSTOM_METRIC_MONTH_USD },
    // Count, 4XXError, 5XXError, Latency, IntegrationLatency for each of the two methods, at custom-metric prices.
    { knob: 'api.methodMetrics: true (2 methods × 5 metrics, every hour)', monthlyUsd: 10 * CUSTOM_METRIC_MONTH_USD },
    { knob: `waf.enabled: true (web ACL + ${inventory.wafRules} rules, before requests)`, monthlyUsd: WAF_WEB_ACL_MONTH_USD + inventory.wafRules * WAF_RULE_MONTH_USD },
  ];
  return { pricesAsOf: PRICES_AS_OF, inventory, sources, customMetrics: { count: emitted.length, everyHourUsd: emitted.length * CUSTOM_METRIC_MONTH_USD }, tenants, knobs };
}

interface Model {
  readonly inventory: Inventory;
  readonly callsPerEdit: { readonly greenhouse: number; readonly beamery: number };
  readonly callsPerCandidate: { readonly greenhouse: number; readonly beamery: number };
  readonly bedrockPerScreening: number;
  readonly rateBudgetPerCall: { readonly reads: number; readonly writes: number };
  readonly mem: (service: string) => number;
  readonly emitted: readonly { readonly fn: LambdaFunctionName; readonly name: string }[];
}

function tenantCost(t: Tenant, m: Model): TenantCost {
  const E = ESTIMATE;
  const svc = FUNCTION_SERVICES;
  const webhooks = t.applications * E.webhooksPerApplication + t.candidateEdits * E.webhooksPerEdit;
  const changes = webhooks; // every routed webhook is a greenhouse-changes message
  const polledRepeats = changes * E.pollRequeueShare;
  const aiMessages = t.applications * E.aiMessagesPerApplication;
  const pushContacts = t.pushes * E.push.contactsPerPush;
  const beameryMessages = t.beameryChanges + pushContacts;
  const runsPerMonth = Object.values(DEFAULT_SCHEDULE_MINUTES).reduce((n, minutes) => n + (HOURS_PER_MONTH * 60) / minutes, 0);

  const editCalls = m.callsPerEdit.greenhouse + m.callsPerEdit.beamery;
  const noopCalls = E.noopMessage.greenhouseCalls + E.noopMessage.beameryCalls;
  const syncMs = (calls: number) => E.syncMessage.baseMs + calls * E.syncMessage.msPerApiCall;
  const apiCalls = (changes + beameryMessages) * editCalls + polledRepeats * noopCalls + t.screenings * E.screening.greenhouseCalls + runsPerMonth * E.pollRun.apiCalls;

  // Lambda: GB-seconds per function and one request per message (low traffic: batches of one).
  const gbSeconds =
    webhooks * (E.webhook.lambdaMs / 1000) * m.mem(svc['ingest-webhook']) +
    t.pushes * (E.push.lambdaMs / 1000) * m.mem(svc['beamery-push']) +
    (changes * syncMs(editCalls) + polledRepeats * syncMs(noopCalls)) / 1000 * m.mem(svc['greenhouse-changes']) +
    (beameryMessages * syncMs(editCalls) / 1000) * m.mem(svc['beamery-changes']) +
    (t.screenings * E.screening.lambdaMs + (aiMessages - t.screenings) * E.aiNoop.lambdaMs) / 1000 * m.mem(svc['ai-tasks']) +
    runsPerMonth * (E.pollRun.lambdaMs / 1000) * m.mem(svc['scheduled-runs']);
  const invocations = webhooks + t.pushes + changes + polledRepeats + beameryMessages + aiMessages + runsPerMonth;

  const sqsVariable = (webhooks * E.webhook.sqsSends + pushContacts) + (changes + polledRepeats + beameryMessages + aiMessages) * E.syncMessage.sqsRequests;
  const sqsFixed = m.inventory.queues * E.idleReceivesPerQueue;

  const budget = m.rateBudgetPerCall;
  const reads = apiCalls * budget.reads + (changes + polledRepeats + beameryMessages) * E.syncMessage.dynamoReads + t.screenings * E.screening.dynamoReads + runsPerMonth * E.pollRun.dynamoReads;
  const writes =
    apiCalls * budget.writes + webhooks * E.webhook.dynamoWrites + (changes + beameryMessages) * E.syncMessage.dynamoWrites + t.screenings * E.screening.dynamoWrites + runsPerMonth * E.pollRun.dynamoWrites;
  const storedGb = (t.applications * 12 * E.storedKbPerCandidate) / 1024 / 1024; // a year of candidates

  // Secrets: each function's warm container reads each of its secrets every 5 minutes while active.
  const hoursActive = {
    'ingest-webhook': activeHours(webhooks),
    'beamery-push': activeHours(t.pushes),
    'greenhouse-changes': Math.max(activeHours(changes), activeHours(polledRepeats, HOURS_PER_MONTH)),
    'beamery-changes': activeHours(beameryMessages, HOURS_PER_MONTH),
    'ai-tasks': activeHours(aiMessages),
    'scheduled-runs': HOURS_PER_MONTH, // the Beamery poller runs every 5 minutes
    'pipeline-report': 0, // off by default (analytics.enabled); on, one run a night
  } satisfies Record<LambdaFunctionName, number>;
  const secretsRead: Record<LambdaFunctionName, number> = { 'ingest-webhook': 1, 'beamery-push': 1, 'greenhouse-changes': 3, 'beamery-changes': 3, 'ai-tasks': 1, 'scheduled-runs': 2, 'pipeline-report': 1 };
  // The pollers run around the clock whatever the tenant does: their share is fixed.
  const secretCallsOf = (fns: readonly LambdaFunctionName[]) => fns.reduce((n, fn) => n + secretsRead[fn] * E.secretReadsPerHourPerContainer * hoursActive[fn], 0);
  const secretCalls = {
    fixed: secretCallsOf(['scheduled-runs']),
    variable: secretCallsOf(['ingest-webhook', 'beamery-push', 'greenhouse-changes', 'beamery-changes', 'ai-tasks']),
  };
  // Secrets Manager decrypts each read with its AWS managed key; DynamoDB uses each table's key while in use.
  const kmsRequests = { fixed: secretCalls.fixed, variable: secretCalls.variable + m.inventory.tables * E.kmsRequestsPerTableHour * hoursActive['greenhouse-changes'] };

  // Custom metrics: billed for each hour one receives data. Failure counts are rare: priced at zero.
  const metricHours = (fn: LambdaFunctionName, name: string): number => {
    if (fn === 'scheduled-runs') return ['PollMessagesQueued', 'PollLagSeconds', 'UsersUnmatched'].includes(name) ? HOURS_PER_MONTH : 0;
    if (name === 'MessagesProcessed') return hoursActive[fn];
    if (fn === 'ingest-webhook') return ['WebhookVerified', 'WebhookMessagesQueued'].includes(name) ? hoursActive[fn] : 0;
    if (fn === 'beamery-push') return name === 'PushContactsQueued' ? hoursActive[fn] : 0;
    if (fn === 'ai-tasks' && t.screenings > 0 && /^Screening(Inferences|LatencyMs|InputTokens|OutputTokens|EstimatedCostUsd|Score)$/.test(name)) return activeHours(t.screenings);
    return 0;
  };
  const metricMonthsOf = (fixed: boolean) => m.emitted.filter((e) => (e.fn === 'scheduled-runs') === fixed).reduce((n, e) => n + metricHours(e.fn, e.name) / HOURS_PER_MONTH, 0);
  const metricMonths = { fixed: metricMonthsOf(true), variable: metricMonthsOf(false) };
  const logsGb =
    (webhooks * E.webhook.logKb + t.pushes * E.push.logKb + (changes + polledRepeats + beameryMessages) * E.syncMessage.logKb + t.screenings * E.screening.logKb + (aiMessages - t.screenings) * E.aiNoop.logKb + runsPerMonth * E.pollRun.logKb) /
    1024 /
    1024;

  const inv = m.inventory;
  const lines: Line[] = [
    { item: 'Lambda (arm64 GB-s, requests)', fixed: 0, variable: gbSeconds * LAMBDA_ARM_GB_SECOND_USD + invocations * LAMBDA_REQUEST_USD },
    { item: 'SQS FIFO requests (idle event-source polling fixed)', fixed: sqsFixed * SQS_FIFO_REQUEST_USD, variable: sqsVariable * SQS_FIFO_REQUEST_USD },
    { item: 'DynamoDB on-demand (stores + rate budget), storage, PITR', fixed: 0, variable: reads * DYNAMODB_READ_UNIT_USD + writes * DYNAMODB_WRITE_UNIT_USD + storedGb * (DYNAMODB_STORAGE_GB_MONTH_USD + DYNAMODB_PITR_GB_MONTH_USD) },
    { item: 'API Gateway REST requests', fixed: 0, variable: (webhooks + t.pushes) * API_GATEWAY_REST_REQUEST_USD },
    { item: `Secrets Manager (${inv.secrets} secrets, cached reads)`, fixed: inv.secrets * SECRET_MONTH_USD + secretCalls.fixed * SECRETS_API_CALL_USD, variable: secretCalls.variable * SECRETS_API_CALL_USD },
    { item: 'CloudWatch custom metrics (pollers fixed)', fixed: metricMonths.fixed * CUSTOM_METRIC_MONTH_USD, variable: metricMonths.variable * CUSTOM_METRIC_MONTH_USD },
    { item: `CloudWatch alarms (${inv.alarms}; ${inv.alarmMetrics} metrics)`, fixed: inv.alarmMetrics * ALARM_METRIC_MONTH_USD, variable: 0 },
    { item: 'CloudWatch dashboard', fixed: inv.dashboards * DASHBOARD_MONTH_USD, variable: 0 },
    { item: 'CloudWatch Logs (ingested, stored 30 days)', fixed: 0, variable: logsGb * (LOGS_INGESTED_GB_USD + LOGS_STORED_GB_MONTH_USD) },
    { item: `KMS (${inv.kmsKeys} keys, their requests)`, fixed: inv.kmsKeys * KMS_KEY_MONTH_USD + kmsRequests.fixed * KMS_REQUEST_USD, variable: kmsRequests.variable * KMS_REQUEST_USD },
    { item: 'EventBridge Scheduler (poller runs)', fixed: runsPerMonth * SCHEDULER_INVOCATION_USD, variable: 0 },
    // X-Ray's default sampling records the first request each second and 5 % of the rest; at these
    // volumes (under one invocation a second on average) nearly every invocation is a trace: an upper bound.
    { item: 'X-Ray traces (every invocation sampled, an upper bound)', fixed: runsPerMonth * XRAY_TRACE_RECORDED_USD, variable: (invocations - runsPerMonth) * XRAY_TRACE_RECORDED_USD },
  ];
  const fixedUsd = lines.reduce((n, l) => n + l.fixed, 0);
  const variableUsd = lines.reduce((n, l) => n + l.variable, 0);
  return {
    tenant: t,
    lines,
    fixedUsd,
    variableUsd,
    bedrockUsd: t.screenings * m.bedrockPerScreening,
    customMetricsBilled: metricMonths.fixed + metricMonths.variable,
    webhooks,
    backfillUsd: backfillCostUsd(t.applications * 12, m.callsPerCandidate, m.rateBudgetPerCall, m.mem(svc['greenhouse-changes'])),
  };
}

/** A one-time backfill: per candidate, its API calls through the rate budget, its message and its Lambda time. */
function backfillCostUsd(candidates: number, calls: { readonly greenhouse: number; readonly beamery: number }, budget: Model['rateBudgetPerCall'], syncMemoryGb: number): number {
  const perCandidateCalls = calls.greenhouse + calls.beamery;
  const E = ESTIMATE;
  const lambda = candidates * ((E.syncMessage.baseMs + perCandidateCalls * E.syncMessage.msPerApiCall) / 1000) * syncMemoryGb * LAMBDA_ARM_GB_SECOND_USD + candidates * LAMBDA_REQUEST_USD;
  const dynamo = candidates * perCandidateCalls * (budget.reads * DYNAMODB_READ_UNIT_USD + budget.writes * DYNAMODB_WRITE_UNIT_USD) + candidates * (E.syncMessage.dynamoReads * DYNAMODB_READ_UNIT_USD + E.syncMessage.dynamoWrites * DYNAMODB_WRITE_UNIT_USD);
  return lambda + dynamo + candidates * E.syncMessage.sqsRequests * SQS_FIFO_REQUEST_USD;
}

const usd = (n: number) => `$${n.toFixed(2)}`;

export function describeCost(r: CostBenchResult): string[] {
  const inv = r.inventory;
  const rows = r.tenants.map((c) => {
    const t = c.tenant;
    return `| ${t.name} | ${t.applications.toLocaleString('en')} | ${t.candidateEdits.toLocaleString('en')} | ${Math.round(c.webhooks).toLocaleString('en')} | ${t.pushes.toLocaleString('en')} | ${t.screenings.toLocaleString('en')} | ${usd(c.fixedUsd)} | ${usd(c.variableUsd)} | ${usd(c.fixedUsd + c.variableUsd)} | ${usd(c.bedrockUsd)} | ${usd(c.fixedUsd + c.variableUsd + c.bedrockUsd)} |`;
  });
  const items = r.tenants[0]!.lines.map((l, i) => `| ${l.item} | ${r.tenants.map((c) => `${usd(c.lines[i]!.fixed)} + ${usd(c.lines[i]!.variable)}`).join(' | ')} |`);
  return [
    `cost: us-east-1 list prices of ${r.pricesAsOf}, free tiers not subtracted; default stack: ${inv.alarms} alarms (${inv.alarmMetrics} metrics evaluated), ${inv.dashboards} dashboard, ${inv.secrets} secrets, ${inv.kmsKeys} KMS keys, ${inv.tables} tables, ${inv.queues} FIFO queues`,
    `cost: ${r.customMetrics.count} custom metrics can be emitted (${usd(r.customMetrics.everyHourUsd)} a month if every one had data every hour; billed by the hour with data)`,
    `cost: inputs: ${Object.entries(r.sources).map(([k, v]) => `${k} ${v}`).join('; ')}`,
    '',
    '| tenant | applications | candidate edits | webhooks | pushes | screenings | fixed | variable | AWS total | Bedrock | with Bedrock |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `| item (fixed + variable) | ${r.tenants.map((c) => c.tenant.name).join(' | ')} |`,
    `|---|${r.tenants.map(() => '---:').join('|')}|`,
    ...items,
    '',
    ...r.tenants.map((c) => `cost: ${c.tenant.name}: custom metrics billed ${c.customMetricsBilled.toFixed(1)} metric-months (of ${r.customMetrics.count} that can be emitted)`),
    ...r.tenants.map((c) => `cost: one-time backfill of ${(c.tenant.applications * 12).toLocaleString('en')} candidates (${c.tenant.name}): ${usd(c.backfillUsd)}`),
    ...r.knobs.map((k) => `cost knob: ${k.knob}: ${usd(k.monthlyUsd)} a month`),
  ];
}

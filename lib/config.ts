import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import * as z from 'zod';
import { DEFAULT_ANALYTICS_LOOKBACK_DAYS, DEFAULT_GREENHOUSE_ANONYMIZE_FIELDS, DEFAULT_PAYLOAD_CAP_BYTES, ENV, MAX_PAYLOAD_CAP_BYTES } from '#lambdas/config';
import { BEAMERY_AUTH_VARIANTS, DEFAULT_BEAMERY_AUTH } from '#adapters/beamery/auth';
import { consentFieldText, greenhouseIdFieldText } from '#adapters/beamery/field-locations';
import { DEFAULT_VACANCY_FIELD_NAMES, vacancyFieldNameInput } from '#adapters/beamery/wire/vacancy';
import { DEFAULT_PROFILE_TAGS_FIELD, PROFILE_TAGS_FIELD_NAME } from '#adapters/beamery/wire/contact';
import { DEFAULT_PUSH_TAG } from '#core/sync/beamery-poll';
import { DEFAULT_SCHEDULE_MINUTES } from '#core/sync/poll-window';
import { DEFAULT_MAX_RECEIVE_COUNT } from '#lib/resource-definitions';
import { DEFAULT_MAX_FAILURES } from '#core/queue/redelivery';
import { DEFAULT_LIVE_SHARE, MAX_LIVE_SHARE } from '#core/rate/budget';
import { aiSettingsSchema } from '#core/ai/settings';
import { analyticsSettingsSchema } from '#core/analytics/settings';
import { OPTIONAL_PACKS } from '#lib/nag/packs';

/**
 * The deploy-time configuration of the stack, read once from CDK context and validated here, so a
 * typo in `cdk.json` or a config file fails `cdk synth` with the key's name instead of producing a
 * stack that half works. Every key is documented in docs/configuration.md.
 */

/** CDK context key holding the configuration object (cdk.json `context.bridge`). */
export const CONFIG_CONTEXT_KEY = 'bridge';
/** CDK context key naming a JSON file merged over `context.bridge` (`cdk deploy -c configFile=...`). */
export const CONFIG_FILE_CONTEXT_KEY = 'configFile';

export { MAX_PAYLOAD_CAP_BYTES };

// CloudWatch Logs accepts only these retention periods.
const RETENTION_DAYS = new Set<number>(Object.values(RetentionDays).filter((v): v is number => typeof v === 'number'));

const positiveInt = z.int().positive();

export const stackConfigSchema = z.strictObject({
  stackName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'a CloudFormation stack name: letters, digits and hyphens, starting with a letter')
    .default('GreenhouseBeameryBridge'),
  namePrefix: z
    .string()
    // Queue names allow 80 characters including `-dlq.fifo`; dashboards allow letters, digits, - and _.
    .regex(/^[A-Za-z0-9_-]{0,40}$/, 'up to 40 letters, digits, hyphens or underscores')
    .default(''),
  maxReceiveCount: positiveInt.max(1000).default(DEFAULT_MAX_RECEIVE_COUNT),
  /** Real failures (never rate limits, 5xx, timeouts or races) before a consumer dead-letters a message. */
  maxFailures: positiveInt.max(100).default(DEFAULT_MAX_FAILURES),
  alarmEmail: z.email().optional(),
  messageAgeAlarmSeconds: positiveInt.min(60).default(900),
  signatureFailureAlarmThreshold: positiveInt.default(10),
  webhookPayloadCapBytes: positiveInt.max(MAX_PAYLOAD_CAP_BYTES).default(DEFAULT_PAYLOAD_CAP_BYTES),
  logRetentionDays: positiveInt
    .refine((days) => RETENTION_DAYS.has(days), {
      message: `one of CloudWatch Logs' retention periods: ${[...RETENTION_DAYS].sort((a, b) => a - b).join(', ')}`,
    })
    .default(30),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  api: z
    .strictObject({
      throttlingRateLimit: z.number().positive().default(50),
      throttlingBurstLimit: positiveInt.default(100),
      /**
       * API Gateway's CloudWatch role is one per account and region (`AWS::ApiGateway::Account`), and the
       * stage's execution and access logs need it. Off: the stack leaves the account's setting alone and
       * the account must have a role already (docs/operations.md); on: the stack creates one and replaces it.
       */
      manageAccountRole: z.boolean().default(false),
      /** API Gateway's detailed per-method metrics (charged per metric); the dashboard reads only the API-wide ones. */
      methodMetrics: z.boolean().default(false),
    })
    .prefault({}),
  beamery: z
    .strictObject({
      /** Which Beamery host the tenant is on (confirm with the customer's Beamery CSM). */
      region: z.enum(['us', 'us-sandbox', 'eu']).default('us'),
      /** Overrides `region`: a host Beamery names for the tenant, ending in /v1. */
      baseUrl: z.url().optional(),
      /** How tokens are minted: `oauth` (POST /v1/oauth/token) or `basic` (GET /v1/auth, the API user's username and password). */
      auth: z.enum(BEAMERY_AUTH_VARIANTS).default(DEFAULT_BEAMERY_AUTH),
      /** Where the Greenhouse candidate id is written on a contact: `integrations` or `customField:<field id>`. */
      greenhouseIdField: z._default(greenhouseIdFieldText, 'integrations'),
      /** Where Beamery's consent status is read: `top-level` (`consentStatus`) or `customField:<field id>`. */
      consentStatusField: z._default(consentFieldText, 'top-level'),
      /** Where Beamery's last consent date is read: `top-level` (`lastConsentDate`) or `customField:<field id>`. */
      consentDateField: z._default(consentFieldText, 'top-level'),
      /** The contact field of the seed's profile tags: `tags` (the seed's Field Reference, ASSUMED) or the tenant's name for it. */
      profileTagsField: z.string().regex(PROFILE_TAGS_FIELD_NAME).default(DEFAULT_PROFILE_TAGS_FIELD),
      /** The vacancy fields of the seed's Department, Managed By, Sourced By, Privacy (ASSUMED names): a field name, or `none` = not written. */
      vacancyFields: z
        .strictObject({
          department: z._default(vacancyFieldNameInput, DEFAULT_VACANCY_FIELD_NAMES.department),
          managedBy: z._default(vacancyFieldNameInput, DEFAULT_VACANCY_FIELD_NAMES.managedBy),
          sourcedBy: z._default(vacancyFieldNameInput, DEFAULT_VACANCY_FIELD_NAMES.sourcedBy),
          privacy: z._default(vacancyFieldNameInput, DEFAULT_VACANCY_FIELD_NAMES.privacy),
        })
        .prefault({}),
    })
    .prefault({}),
  sync: z
    .strictObject({
      /** Seed "Block Private Contacts": private Greenhouse candidates are not created in Beamery and stop updating it. */
      blockPrivate: z.boolean().default(true),
      /** Seed "Confidential Candidates": leave out applications on confidential jobs. */
      excludeConfidentialJobs: z.boolean().default(false),
      /** Base of the Greenhouse web app, for the "View in ATS" link written on contacts. */
      greenhouseAppUrl: z.url().default('https://app.greenhouse.io'),
      /** The Harvest `sub` (a Site Admin's user id) the sync acts as; none = the credential's service user. */
      greenhouseActingUserId: positiveInt.optional(),
      /** Seed "GDPR - Anonymize Contacts": whether a Beamery anonymization also anonymizes Greenhouse. */
      anonymizationMode: z.enum(['bidirectional', 'greenhouse-authoritative']).default('bidirectional'),
      /** Hours between deletions sweeps (1-168): hard deletes in Greenhouse that no webhook announced. */
      deletionSweepHours: positiveInt.max(168).default(24),
      /** Copy the bridge's own AI notes (screening, feedback synthesis) to Beamery with the other notes. */
      copyAiNotes: z.boolean().default(false),
      /** Concurrent consumer batches (2-1000): the APIs' rate limits, not Lambda, bound throughput. */
      maxConcurrency: positiveInt.min(2).max(1000).default(5),
    })
    .prefault({}),
  beameryToGreenhouse: z
    .strictObject({
      /** The Beamery tag that asks for a push (seed way 3, set by automation recipes); '' = tags never push. */
      pushTag: z.string().trim().default(DEFAULT_PUSH_TAG),
      /** Minutes between Beamery polls (1-60). */
      pollMinutes: positiveInt.max(60).default(DEFAULT_SCHEDULE_MINUTES.beamery),
      /** Greenhouse candidate custom field (`name_key`) that receives Beamery's consent status; none = not synced. */
      consentStatusField: z.string().min(1).optional(),
      /** Greenhouse candidate custom field (`name_key`) that receives Beamery's last consent date; none = not synced. */
      consentDateField: z.string().min(1).optional(),
      /** What a Beamery anonymization erases in Greenhouse in `bidirectional` mode (Harvest's anonymize field names). */
      anonymizeFields: z.array(z.string().min(1)).min(1).default([...DEFAULT_GREENHOUSE_ANONYMIZE_FIELDS]),
    })
    .prefault({}),
  rateBudget: z
    .strictObject({
      /**
       * The most of each Greenhouse and Beamery rate-limit window kept for live traffic while live traffic is seen (0-0.9);
       * backfills and the deletions sweep use the rest (lambdas/core/rate/budget.ts liveReserve).
       */
      liveShare: z.number().min(0).max(MAX_LIVE_SHARE).default(DEFAULT_LIVE_SHARE),
    })
    .prefault({}),
  /** The AI workflows (lambdas/core/ai/settings.ts): every workflow off, and `shadow` when first turned on. */
  ai: z.prefault(aiSettingsSchema, {}),
  /**
   * The screening-score drift alarm (lib/constructs/ai-workflows.ts): it fires when the median
   * (`ScreeningScore` p50) over `windowHours` is more than `margin` points from `baselineP50`, once the
   * window holds `minSamples` scores. No baseline, no alarm: set it from a period the team trusts
   * (the dashboard's "score distribution" p50). A median test, not a distribution test: it sees a
   * shift of the middle, not a change of spread or shape.
   */
  aiDrift: z
    .strictObject({
      baselineP50: z.number().min(0).max(100).optional(),
      margin: z.number().gt(0).max(100).default(15),
      /** 1-24 hours: one CloudWatch alarm period. */
      windowHours: positiveInt.max(24).default(24),
      minSamples: positiveInt.default(20),
    })
    .prefault({}),
  /** The nightly pipeline report (lib/constructs/pipeline-reports.ts, docs/pipeline-analytics.md): nothing is deployed while off. */
  analytics: z
    .strictObject({
      enabled: z.boolean().default(false),
      /** The hour (UTC, 0-23) the report runs each night: pick one outside the tenant's working hours, as it reads at bulk priority. */
      scheduleHourUtc: z.int().min(0).max(23).default(3),
      /** How far back each run reads applications and their stage history (days, up to 3 years). */
      lookbackDays: positiveInt.max(3 * 365).default(DEFAULT_ANALYTICS_LOOKBACK_DAYS),
      /** Days a report (`reports/` in the bucket) is kept before S3 deletes it. */
      reportRetentionDays: positiveInt.max(3650).default(90),
      /** The analytics' windows and thresholds (lambdas/core/analytics/settings.ts). */
      report: z.prefault(analyticsSettingsSchema, {}),
    })
    .prefault({}),
  /** An AWS Backup plan for the Ledger, IdMap and Audit tables (lib/constructs/backups.ts), beside point-in-time recovery. */
  backup: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** The hour (UTC, 0-23) of the daily backup. */
      scheduleHourUtc: z.int().min(0).max(23).default(5),
      /** Days each daily backup is kept before AWS Backup deletes it. */
      retentionDays: positiveInt.max(36500).default(35),
    })
    .prefault({}),
  waf: z
    .strictObject({
      /** AWS WAF on the API stage (lib/constructs/webhook-firewall.ts); $9 a month plus $0.60 per million requests at AWS's list price (docs/configuration.md). */
      enabled: z.boolean().default(true),
      /** Requests per source IP per 5 minutes before WAF blocks; Greenhouse sends from few IPs, so keep it high. */
      rateLimitPerFiveMinutes: positiveInt.min(10).default(3000),
    })
    .prefault({}),
  /**
   * Reserved concurrency per function (lib/constructs/bridge-function.ts): the most instances it may run
   * and the share of the account's concurrency kept for it. The SQS consumers default to
   * `sync.maxConcurrency` and may not go below it (see SQS_CONSUMERS); the others default to none
   * (unreserved), since API Gateway throttling and the schedules already bound them.
   */
  reservedConcurrency: z
    .strictObject({
      greenhouseSync: positiveInt.max(1000).optional(),
      beamerySync: positiveInt.max(1000).optional(),
      aiTasks: positiveInt.max(1000).optional(),
      ingest: positiveInt.max(1000).optional(),
      push: positiveInt.max(1000).optional(),
      poller: positiveInt.max(1000).optional(),
      pipelineReport: positiveInt.max(1000).optional(),
    })
    .prefault({}),
  nag: z
    .strictObject({
      /**
       * cdk-nag packs run on every synth besides AwsSolutions and Serverless (always on); a finding
       * either pack leaves unacknowledged fails `cdk synth` (docs/security.md).
       */
      packs: z.array(z.enum(OPTIONAL_PACKS)).default([]),
    })
    .prefault({}),
}).superRefine((config, ctx) => {
  for (const fn of SQS_CONSUMERS) {
    const reserved = config.reservedConcurrency[fn];
    if (reserved !== undefined && reserved < config.sync.maxConcurrency) {
      ctx.addIssue({
        code: 'custom',
        path: ['reservedConcurrency', fn],
        message: `${reserved} is below sync.maxConcurrency (${config.sync.maxConcurrency}): an SQS event source whose maximum concurrency exceeds the function's reserved concurrency has its batches throttled; set it to at least ${config.sync.maxConcurrency}`,
      });
    }
  }
});

/** The functions fed by an SQS event source with `maxConcurrency: sync.maxConcurrency`. */
const SQS_CONSUMERS = ['greenhouseSync', 'beamerySync', 'aiTasks'] as const;

/** A function of `reservedConcurrency`. */
export type ReservedConcurrencyFunction = keyof StackConfig['reservedConcurrency'];

/**
 * The reserved concurrency of a function: the configured value, else none. Not reserved by default:
 * the SQS event sources' `maxConcurrency` already bounds the consumers, and a reservation fails the
 * deploy of an account whose quota is small (new accounts may start at 10, and Lambda keeps 100
 * unreserved), which an operator would meet at the first `cdk deploy`.
 */
export function reservedConcurrencyOf(config: Pick<StackConfig, 'reservedConcurrency'>, fn: ReservedConcurrencyFunction): number | undefined {
  return config.reservedConcurrency[fn];
}

export type StackConfig = z.infer<typeof stackConfigSchema>;

/** The Beamery client's environment, the same for every Lambda that talks to Beamery. */
export function beameryEnvironment(config: StackConfig): Record<string, string> {
  const { region, baseUrl, auth, greenhouseIdField, consentStatusField, consentDateField, profileTagsField, vacancyFields } = config.beamery;
  return {
    [ENV.beameryRegion]: region,
    ...(baseUrl ? { [ENV.beameryBaseUrl]: baseUrl } : {}),
    [ENV.beameryAuth]: auth,
    [ENV.beameryGreenhouseIdField]: greenhouseIdField,
    [ENV.beameryConsentStatusField]: consentStatusField,
    [ENV.beameryConsentDateField]: consentDateField,
    [ENV.beameryProfileTagsField]: profileTagsField,
    [ENV.beameryVacancyDepartmentField]: vacancyFields.department,
    [ENV.beameryVacancyManagerField]: vacancyFields.managedBy,
    [ENV.beameryVacancySourcerField]: vacancyFields.sourcedBy,
    [ENV.beameryVacancyPrivacyField]: vacancyFields.privacy,
  };
}

export function parseStackConfig(raw: unknown): StackConfig {
  const parsed = stackConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new Error(`invalid stack configuration:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * `context.bridge` from cdk.json (or `-c bridge='{...}'`), with the JSON file named by
 * `-c configFile=...` merged over it key by key. The file path is relative to where `cdk` runs.
 */
export function loadStackConfig(scope: Construct): StackConfig {
  const base = asObject(scope.node.tryGetContext(CONFIG_CONTEXT_KEY), `context "${CONFIG_CONTEXT_KEY}"`);
  const file: unknown = scope.node.tryGetContext(CONFIG_FILE_CONTEXT_KEY);
  if (file === undefined || file === '') return parseStackConfig(base);
  if (typeof file !== 'string') throw new Error(`context "${CONFIG_FILE_CONTEXT_KEY}" must be a file path`);
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  return parseStackConfig(mergeDeep(base, asObject(text, `config file ${path}`)));
}

type Json = Record<string, unknown>;

function asObject(value: unknown, what: string): Json {
  if (value === undefined || value === null) return {};
  let parsed: unknown = value;
  // `-c bridge=...` on the command line arrives as a string, and so does a config file's text.
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new Error(`${what} is not JSON: ${(error as Error).message}`);
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${what} must be a JSON object`);
  return parsed as Json;
}

function mergeDeep(base: Json, overrides: Json): Json {
  const merged: Json = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? mergeDeep(current, value) : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

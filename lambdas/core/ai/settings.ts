import * as z from '#core/zod-mini';
import { OFFLINE_EMBEDDING_DIMENSIONS } from './rediscovery/ports.ts';

/**
 * The operator's AI settings, one schema for both sides: the stack config validates them at `cdk synth`
 * (`context.bridge.ai`) and hands them to the AI consumer as one JSON variable, which the Lambda
 * validates again at cold start. Every workflow is off until the operator turns it on, and a new one
 * starts in `shadow` mode: inference and audit only, nothing written to Greenhouse. Documented key by
 * key in docs/configuration.md and docs/ai-governance.md.
 */

/** Claude Haiku 4.5 through the US cross-Region inference profile: fast and cheap enough to screen every application. */
export const DEFAULT_MODEL_ID = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

const id = z.int().check(z.positive());
const ids = () => z._default(z.array(id), []);
const percent = (fallback: number) => z._default(z.number().check(z.gte(0), z.lte(100)), fallback);
const tag = (fallback: string) => z._default(z.string().check(z.trim(), z.minLength(1)), fallback);
const nonEmpty = () => z.string().check(z.minLength(1));
const price = (fallback: number) => z._default(z.number().check(z.gte(0)), fallback);

export const jobScopeSchema = z.strictObject({
  /** Every job, except `excludedJobIds`. */
  allJobs: z._default(z.boolean(), false),
  jobIds: ids(),
  departmentIds: ids(),
  officeIds: ids(),
  /** Always off for these jobs, whatever else matches: how a workflow is turned off for one job. */
  excludedJobIds: ids(),
});
export type JobScope = z.infer<typeof jobScopeSchema>;

const gate = {
  enabled: z._default(z.boolean(), false),
  /** `shadow`: infer and audit only; `assist`: also write back to Greenhouse. */
  mode: z._default(z.enum(['shadow', 'assist']), 'shadow'),
  /** Share of in-scope applications that run (0-100), chosen by a stable hash of the application id. */
  rolloutPercent: percent(100),
  scope: z.prefault(jobScopeSchema, {}),
};

export const screeningSettingsSchema = z.strictObject({
  ...gate,
  /** Application custom field (`name_key`, a number field) that receives the score. */
  scoreField: z._default(nonEmpty(), 'ai_fit_score'),
  /** Below this score the candidate gets `needsReviewTag`. */
  threshold: z._default(z.int().check(z.gte(0), z.lte(100)), 50),
  needsReviewTag: tag('AI screening: needs review'),
  /** A stable sample of every screened application gets this tag, so people check the AI's work. */
  reviewSampleTag: tag('AI screening: review sample'),
  reviewSamplePercent: percent(10),
});

export const feedbackSettingsSchema = z.strictObject({ ...gate });

/** Titan Text Embeddings V2: the Bedrock embedder's default; the offline embedder ignores the id. */
export const DEFAULT_EMBEDDING_MODEL_ID = 'amazon.titan-embed-text-v2:0';

export const rediscoveryEmbeddingSchema = z
  .strictObject({
    /** `offline`: hashed word counts that say in every note they are not a language model; `bedrock`: a hosted embedding model. */
    provider: z._default(z.enum(['offline', 'bedrock']), 'offline'),
    modelId: z._default(nonEmpty(), DEFAULT_EMBEDDING_MODEL_ID),
    /** The vectors' size (Titan V2 gives 256, 512 or 1,024; Cohere v3 1,024); the index holds one size, so a change re-indexes everyone. */
    dimensions: z._default(z.union([z.literal(256), z.literal(512), z.literal(1024)]), 512),
  })
  .check(
    // The offline embedder has one size; a different one would be refused by the index at the first put.
    z.refine((e) => e.provider !== 'offline' || e.dimensions === OFFLINE_EMBEDDING_DIMENSIONS, {
      message: `the offline embedder gives ${OFFLINE_EMBEDDING_DIMENSIONS} dimensions`,
      path: ['dimensions'],
    }),
  );

/**
 * Past candidates suggested for a job as one private job note. The gate scopes by the job (its id,
 * department or offices) and the rollout samples jobs, not applications.
 */
export const rediscoverySettingsSchema = z.strictObject({
  ...gate,
  /** Only candidates whose last activity in Greenhouse is at least this old are suggested. */
  minInactiveDays: z._default(z.int().check(z.gte(0)), 180),
  /** How many candidates one note lists at most. */
  topN: z._default(z.int().check(z.gte(1), z.lte(50)), 10),
  /** Cosine similarity (-1 to 1) below which a match is not suggested. */
  minScore: z._default(z.number().check(z.gte(-1), z.lte(1)), 0),
  /** Added to each suggested candidate in assist mode. */
  tag: tag('rediscovered'),
  /**
   * Candidate custom field (`name_key`, yes/no or a yes/no select) that records consent to be
   * considered for other roles. Unset, no one has consented and no one is indexed or suggested: consent
   * is never assumed.
   */
  consentField: z.optional(nonEmpty()),
  embedding: z.prefault(rediscoveryEmbeddingSchema, {}),
});

/**
 * Which offices' jobs must show a pay range: a rule matches a job when one of its offices has one of
 * `officeIds`, or a name containing one of `officeNames` (case-insensitive: `Denver` matches
 * `Denver, CO`). None by default: which laws apply is the operator's call (docs/configuration.md
 * has an example for Colorado, New York, California, Washington and New York City).
 */
export const payRangeRuleSchema = z.strictObject({
  match: z
    .strictObject({ officeIds: z.optional(z.array(id)), officeNames: z.optional(z.array(nonEmpty())) })
    .check(z.refine((m) => !!(m.officeIds?.length || m.officeNames?.length), { message: 'a rule matches by officeIds or officeNames' })),
  /** Named in the review note: `Colorado`, `NYC`. */
  jurisdiction: nonEmpty(),
  /** False keeps a rule for the record without requiring anything. */
  required: z._default(z.boolean(), true),
});

/**
 * Pay transparency, one set of rules for every workflow that needs them: job-description drafts say
 * when a job must show a pay range; offer checks compare an offer with the range the job shows.
 */
export const payTransparencySchema = z.strictObject({
  rules: z._default(z.array(payRangeRuleSchema), []),
  /**
   * Job custom field (`name_key`, a currency range: `{min_value, max_value, unit}`) holding the pay
   * range. Unset or empty, a draft a rule requires a range for says "required but unknown".
   */
  jobPayRangeField: z.optional(nonEmpty()),
});

/**
 * Job-description drafts for review: a private job note with a structured draft and its checks, and,
 * only with `writeJobPost`, the content of the job's posts that are not live. Never publishes. The
 * gate scopes by the job and the rollout samples jobs.
 */
export const jobDescriptionSettingsSchema = z.strictObject({
  ...gate,
  /** The company's own EEO statement, copied word for word. Unset, the draft says it is missing; none is invented. */
  eeoStatement: z.optional(nonEmpty()),
  /** Also write the draft into the content of the job's posts that are not live (a live post is never touched). */
  writeJobPost: z._default(z.boolean(), false),
  /** Upper bound on the draft's words, EEO statement included. */
  maxWords: z._default(z.int().check(z.gte(100), z.lte(3000)), 700),
  /** How many of the tenant's most similar past posts the drafter reads (0: none). */
  similarPosts: z._default(z.int().check(z.gte(0), z.lte(10)), 3),
  /** The company's own texts (values, benefits, EEO): an S3 prefix, `s3://bucket/prefix/` (the local stack reads a folder). */
  corpus: z.prefault(z.strictObject({ s3Prefix: z.optional(z.string().check(z.regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/))) }), {}),
});

/**
 * One compensation band: the pay an offer for the jobs it covers should fall in. A band covers a job
 * when each of its non-empty lists holds the job's department, one of its offices, and its level
 * (the job custom field `offers.levelField`); the most specific covering band is used. Bands live in
 * the configuration, not in Greenhouse: v3 has no compensation-band object, and one band usually
 * covers many jobs by level and location, which a per-job field would copy into each job by hand.
 */
export const compensationBandSchema = z
  .strictObject({
    departmentIds: ids(),
    officeIds: ids(),
    levels: z._default(z.array(nonEmpty()), []),
    /** ISO 4217, as Greenhouse's currency fields carry it. */
    currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
    min: z.number().check(z.gte(0)),
    max: z.number().check(z.gte(0)),
  })
  .check(z.refine((band) => band.min <= band.max, { message: 'a band’s min must not exceed its max', path: ['max'] }));

/**
 * Offer checks on `offer_created` and `offer_updated`: a private note on the application with each
 * check's result and numbers, and, only with
 * `requestApprovals` in assist mode and every check passed, the offer's approvals requested. Never
 * approves, never changes an offer, never sends one. The gate scopes by the offer's job.
 */
export const offerSettingsSchema = z.strictObject({
  ...gate,
  /** The offer custom field (`name_key`) holding the base pay: a currency value or a currency range. */
  payField: z._default(nonEmpty(), 'salary'),
  /** The job custom field (`name_key`) naming its level, for bands by level; unset, bands match by department and office only. */
  levelField: z.optional(nonEmpty()),
  bands: z._default(z.array(compensationBandSchema), []),
  /** Offer custom fields (`name_key`) every offer must have filled in, besides the start date. */
  requiredFields: z._default(z.array(nonEmpty()), []),
  /** Ask for the offer's approvals (all groups at once, as the flow allows) when every check passes. */
  requestApprovals: z._default(z.boolean(), false),
});

/**
 * A candidate's opt-out of every AI workflow: a tag on the candidate (on by default, so a recruiter
 * can honour a request at once) or a yes/no candidate custom field the application form fills in. An
 * opted-out candidate is not screened, their feedback not synthesised, and they are kept out of
 * rediscovery; each skip is audited as `ai-opted-out`.
 */
export const optOutSettingsSchema = z.strictObject({
  tag: tag('AI review: opt out'),
  /** Candidate custom field (`name_key`, yes/no or a yes/no select); yes opts out. */
  field: z.optional(nonEmpty()),
});

/**
 * The impact-ratio report (`bridge fairness-report`): `readDemographics` lets the CLI read the
 * candidates' voluntary self-identification (`GET /v3/eeoc`, scope `harvest:eeoc:list`), the only
 * place the bridge reads it; off, the report refuses to run. Never read by a Lambda.
 */
export const fairnessSettingsSchema = z.strictObject({
  readDemographics: z._default(z.boolean(), false),
});

export const aiSettingsSchema = z.strictObject({
  /** `bedrock`, or `offline`: the deterministic matcher that says in every output it is not a language model. */
  provider: z._default(z.enum(['bedrock', 'offline']), 'bedrock'),
  /** A Bedrock model id or inference profile id; the consumer's IAM allows only this model. */
  modelId: z._default(nonEmpty(), DEFAULT_MODEL_ID),
  guardrail: z.optional(z.strictObject({ id: nonEmpty(), version: nonEmpty() })),
  /** How long Audit keeps each inference record (DynamoDB TTL). */
  auditRetentionDays: z._default(id, 365),
  /** For the dashboard's estimated cost only: the model's on-demand prices in USD (Haiku 4.5's by default). */
  pricing: z.prefault(z.strictObject({ inputPer1kTokensUsd: price(0.001), outputPer1kTokensUsd: price(0.005) }), {}),
  screening: z.prefault(screeningSettingsSchema, {}),
  feedback: z.prefault(feedbackSettingsSchema, {}),
  rediscovery: z.prefault(rediscoverySettingsSchema, {}),
  jobDescriptions: z.prefault(jobDescriptionSettingsSchema, {}),
  payTransparency: z.prefault(payTransparencySchema, {}),
  offers: z.prefault(offerSettingsSchema, {}),
  optOut: z.prefault(optOutSettingsSchema, {}),
  fairness: z.prefault(fairnessSettingsSchema, {}),
});

export type AiSettings = z.infer<typeof aiSettingsSchema>;
export type ScreeningSettings = z.infer<typeof screeningSettingsSchema>;
export type FeedbackSettings = z.infer<typeof feedbackSettingsSchema>;
export type RediscoverySettings = z.infer<typeof rediscoverySettingsSchema>;
export type JobDescriptionSettings = z.infer<typeof jobDescriptionSettingsSchema>;
export type PayRangeRule = z.infer<typeof payRangeRuleSchema>;
export type PayTransparencySettings = z.infer<typeof payTransparencySchema>;
export type OfferSettings = z.infer<typeof offerSettingsSchema>;
export type OptOutSettings = z.infer<typeof optOutSettingsSchema>;
export type FairnessSettings = z.infer<typeof fairnessSettingsSchema>;
export type CompensationBand = z.infer<typeof compensationBandSchema>;
export type WorkflowGate = Pick<ScreeningSettings, 'enabled' | 'mode' | 'rolloutPercent' | 'scope'>;

export function parseAiSettings(raw: unknown): AiSettings {
  const parsed = aiSettingsSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new Error(`invalid AI settings:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

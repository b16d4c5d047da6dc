import * as z from 'zod';

/**
 * The operator's AI settings, one schema for both sides: the stack config validates them at `cdk synth`
 * (`context.bridge.ai`) and hands them to the AI consumer as one JSON variable, which the Lambda
 * validates again at cold start. Every workflow is off until the operator turns it on, and a new one
 * starts in `shadow` mode: inference and audit only, nothing written to Greenhouse. Documented key by
 * key in docs/configuration.md and docs/ai-governance.md.
 */

/** Claude Haiku 4.5 through the US cross-Region inference profile: fast and cheap enough to screen every application. */
export const DEFAULT_MODEL_ID = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

const id = z.int().positive();

export const jobScopeSchema = z.strictObject({
  /** Every job, except `excludedJobIds`. */
  allJobs: z.boolean().default(false),
  jobIds: z.array(id).default([]),
  departmentIds: z.array(id).default([]),
  officeIds: z.array(id).default([]),
  /** Always off for these jobs, whatever else matches: how a workflow is turned off for one job. */
  excludedJobIds: z.array(id).default([]),
});
export type JobScope = z.infer<typeof jobScopeSchema>;

const gate = {
  enabled: z.boolean().default(false),
  /** `shadow`: infer and audit only; `assist`: also write back to Greenhouse. */
  mode: z.enum(['shadow', 'assist']).default('shadow'),
  /** Share of in-scope applications that run (0-100), chosen by a stable hash of the application id. */
  rolloutPercent: z.number().min(0).max(100).default(100),
  scope: jobScopeSchema.prefault({}),
};

export const screeningSettingsSchema = z.strictObject({
  ...gate,
  /** Application custom field (`name_key`, a number field) that receives the score. */
  scoreField: z.string().min(1).default('ai_fit_score'),
  /** Below this score the candidate gets `needsReviewTag`. */
  threshold: z.int().min(0).max(100).default(50),
  needsReviewTag: z.string().trim().min(1).default('AI screening: needs review'),
  /** A stable sample of every screened application gets this tag, so people check the AI's work. */
  reviewSampleTag: z.string().trim().min(1).default('AI screening: review sample'),
  reviewSamplePercent: z.number().min(0).max(100).default(10),
});

export const feedbackSettingsSchema = z.strictObject({ ...gate });

export const aiSettingsSchema = z.strictObject({
  /** `bedrock`, or `offline`: the deterministic matcher that says in every output it is not a language model. */
  provider: z.enum(['bedrock', 'offline']).default('bedrock'),
  /** A Bedrock model id or inference profile id; the consumer's IAM allows only this model. */
  modelId: z.string().min(1).default(DEFAULT_MODEL_ID),
  guardrail: z.strictObject({ id: z.string().min(1), version: z.string().min(1) }).optional(),
  /** How long Audit keeps each inference record (DynamoDB TTL). */
  auditRetentionDays: id.default(365),
  /** For the dashboard's estimated cost only: the model's on-demand prices in USD (Haiku 4.5's by default). */
  pricing: z
    .strictObject({ inputPer1kTokensUsd: z.number().min(0).default(0.001), outputPer1kTokensUsd: z.number().min(0).default(0.005) })
    .prefault({}),
  screening: screeningSettingsSchema.prefault({}),
  feedback: feedbackSettingsSchema.prefault({}),
});

export type AiSettings = z.infer<typeof aiSettingsSchema>;
export type ScreeningSettings = z.infer<typeof screeningSettingsSchema>;
export type FeedbackSettings = z.infer<typeof feedbackSettingsSchema>;
export type WorkflowGate = Pick<ScreeningSettings, 'enabled' | 'mode' | 'rolloutPercent' | 'scope'>;

export function parseAiSettings(raw: unknown): AiSettings {
  const parsed = aiSettingsSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new Error(`invalid AI settings:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

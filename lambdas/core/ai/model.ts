import type * as z from '#core/zod-mini';

/**
 * The port every language-model call goes through: one prompt in, one answer out that satisfies a zod
 * schema, with the token usage and latency the Audit records. The Bedrock adapter
 * (lambdas/adapters/bedrock/) implements it on the Converse API with a single forced tool whose input
 * schema is the answer's JSON schema; tests and the local stack may point it at the Bedrock simulator.
 * Prompts arrive already minimised: an implementation never sees contact details.
 */
export interface StructuredRequest<T> {
  /** For metrics and errors only (`screening`, `feedback-synthesis`). */
  readonly workflow: string;
  /** The versioned template's system text. */
  readonly system: string;
  /** The user turn: the minimised material the model judges. */
  readonly prompt: string;
  /** The one tool the model must call; its input is the answer. */
  readonly tool: { readonly name: string; readonly description: string };
  readonly schema: z.ZodMiniType<T>;
  /** Upper bound on the answer's tokens. */
  readonly maxTokens?: number;
}

export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface Inference<T> {
  readonly output: T;
  /** The model id or inference profile that answered, as the caller configured it. */
  readonly model: string;
  readonly usage: TokenUsage;
  /** Wall time of the successful call, including retries on throttling. */
  readonly latencyMs: number;
}

export interface StructuredModel {
  /** `bedrock`. */
  readonly provider: string;
  readonly model: string;
  infer<T>(request: StructuredRequest<T>): Promise<Inference<T>>;
}

/** The model answered, but not with a valid tool call (wrong shape after the bounded re-asks, or no tool use). */
export class ModelAnswerInvalid extends Error {
  constructor(
    readonly workflow: string,
    readonly reason: string,
  ) {
    super(`${workflow}: the model's answer is not usable (${reason})`);
    this.name = 'ModelAnswerInvalid';
  }
}

/** A Bedrock Guardrail blocked the prompt or the answer (the adapter throws it): recorded, never written back. */
export class GuardrailIntervened extends Error {
  constructor(readonly workflow: string) {
    super(`${workflow}: a Bedrock Guardrail intervened`);
    this.name = 'GuardrailIntervened';
  }
}

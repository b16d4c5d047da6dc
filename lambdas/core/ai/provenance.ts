import type { Inference, TokenUsage } from './model.ts';

/**
 * Where a result came from: on every result, in every audit item and at the foot of every note, so no
 * one mistakes the offline providers' output for a language model's.
 */
export interface Provenance {
  readonly provider: string;
  readonly model: string;
  readonly promptVersion: string;
  readonly usage: TokenUsage;
  readonly latencyMs: number;
}

/** A model's answer with its provenance, as an LLM provider returns it. */
export function withProvenance<T>(inference: Inference<T>, provider: string, promptVersion: string): T & Provenance {
  return { ...inference.output, provider, model: inference.model, promptVersion, usage: inference.usage, latencyMs: inference.latencyMs };
}

/**
 * An inference's audit fields: provenance, usage, and the answer as JSON. A reused result cost nothing
 * this time, so its tokens and latency are 0.
 */
export function inferenceAuditFields(result: Provenance, options: { reused?: boolean } = {}): Record<string, string | number> {
  const { provider, model, promptVersion, usage, latencyMs, ...answer } = result;
  const spent = !options.reused;
  return {
    provider,
    model,
    promptVersion,
    inputTokens: spent ? usage.inputTokens : 0,
    outputTokens: spent ? usage.outputTokens : 0,
    latencyMs: spent ? latencyMs : 0,
    output: JSON.stringify(answer),
  };
}

/**
 * The spans an outbound call is traced in: one per call to Greenhouse, Beamery or Bedrock, named for
 * the system, so a trace shows where an invocation spent its time. The adapters take this port
 * rather than a tracer, so they run untraced (NO_TRACE_SPANS) in tests, the CLI and the local stack,
 * and lambdas/adapters/tracing.ts gives them X-Ray subsegments on Lambda.
 */
export const SPAN_NAMES = ['Greenhouse', 'Beamery', 'Bedrock'] as const;
export type SpanName = (typeof SPAN_NAMES)[number];

/**
 * Every annotation a span may carry. A closed list because annotations are indexed and searchable in
 * X-Ray for as long as the trace is kept: each one is a shape, a count or a code, never a value from
 * a request (an id, an email, a prompt). X-Ray indexes only keys of letters, digits and underscores.
 *
 * - `operation`: an HTTP route template (`GET /v3/candidates/{id}`) or a Bedrock API (`Converse`);
 * - `status`: the last HTTP status received; `attempts`: requests sent, retries included;
 * - `model_id`: the Bedrock model or inference profile (configuration, not data);
 * - `error`: the name of the error a span ended with, never its message.
 */
export const ANNOTATION_KEYS = ['operation', 'status', 'attempts', 'model_id', 'error'] as const;
export type AnnotationKey = (typeof ANNOTATION_KEYS)[number];
export type AnnotationValue = string | number | boolean;
export type SpanAnnotations = Partial<Readonly<Record<AnnotationKey, AnnotationValue>>>;

/** The open span, for what is learnt while it runs (the status, the attempts). */
export interface Span {
  annotate(key: AnnotationKey, value: AnnotationValue): void;
}

export interface TraceSpans {
  /** Runs `run` in a span named `name` that starts with `annotations`; its result and error pass through unchanged. */
  span<T>(name: SpanName, annotations: SpanAnnotations, run: (span: Span) => Promise<T>): Promise<T>;
}

const NO_SPAN: Span = { annotate: () => undefined };

/** Runs every call untraced: the default wherever no tracer is given. */
export const NO_TRACE_SPANS: TraceSpans = { span: (_name, _annotations, run) => run(NO_SPAN) };

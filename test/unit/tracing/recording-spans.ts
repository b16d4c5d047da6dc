import type { AnnotationValue, SpanName, TraceSpans } from '#core/ports/trace-spans';

/** A span as the adapters opened it: its name, and every annotation it got, at the start or on the way. */
export interface RecordedSpan {
  readonly name: SpanName;
  readonly annotations: Record<string, AnnotationValue>;
}

/**
 * The TraceSpans port, recording instead of tracing: the adapters' side of the contract (which spans,
 * which annotations) is checked here; lambdas/adapters/tracing.ts turning them into X-Ray subsegments
 * is checked against a real segment in powertools-tracing.test.ts.
 */
export function recordingSpans(): { readonly port: TraceSpans; readonly spans: RecordedSpan[] } {
  const spans: RecordedSpan[] = [];
  const port: TraceSpans = {
    span: (name, annotations, run) => {
      const recorded: RecordedSpan = { name, annotations: { ...annotations } };
      spans.push(recorded);
      return run({ annotate: (key, value) => (recorded.annotations[key] = value) });
    },
  };
  return { port, spans };
}

/** X-Ray indexes annotation keys of letters, digits and underscores only. */
export const XRAY_ANNOTATION_KEY = /^[A-Za-z0-9_]+$/;

/** Every annotation key of these spans. */
export const annotationKeys = (spans: readonly RecordedSpan[]): string[] => spans.flatMap((span) => Object.keys(span.annotations));

/** Every annotation value of these spans, as text, for checking that none carries a value from a request. */
export const annotationValues = (spans: readonly RecordedSpan[]): string[] => spans.flatMap((span) => Object.values(span.annotations).map(String));

import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { Subsegment } from 'aws-xray-sdk-core';
import { RateLimited } from '#core/api-errors';
import { errorName } from '#core/error-name';
import { NO_TRACE_SPANS, type Span, type TraceSpans } from '#core/ports/trace-spans';

type AsyncHandler = (...args: never[]) => Promise<unknown>;

/** What the wiring traces a function's outbound calls with: spans for the APIs, and the AWS SDK clients it builds. */
export interface CallTracing {
  readonly spans: TraceSpans;
  /** The same client, each AWS call of it recorded as a subsegment (operation, table or queue, status; never items or bodies). */
  captureAWSv3Client<C>(client: C): C;
}

/** A function's tracing: its calls, and each invocation as a whole. */
export interface LambdaTracing extends CallTracing {
  readonly enabled: boolean;
  /** The handler, of the same type, each invocation run in a `## <handler>` subsegment annotated with ColdStart and Service. */
  handler<H extends AsyncHandler>(handler: H): H;
}

/** Tracing off: everything passes through untouched (the local stack, tests, the CLI). */
export const NO_TRACING: LambdaTracing = {
  enabled: false,
  spans: NO_TRACE_SPANS,
  captureAWSv3Client: (client) => client,
  handler: (handler) => handler,
};

/**
 * X-Ray tracing through a Powertools Tracer, or NO_TRACING where the tracer is disabled (outside
 * Lambda, or POWERTOOLS_TRACE_ENABLED=false): then nothing is wrapped and no subsegment is made.
 *
 * Subsegments are opened with the provider's captureAsyncFunc, which runs the callback in a context of
 * its own (the X-Ray SDK's async-hooks namespace), so concurrent calls (the embedder's four at once)
 * each nest under the right parent. The invocation is wrapped here rather than with
 * `captureLambdaHandler`, which the handlers could only take through Middy or a class decorator, and
 * which records the whole error: both the handler's result (captureResponse) and errors' messages are
 * left out. An error is recorded by its class name alone (`error` annotation, and the error or fault
 * flag): messages can echo values (a Greenhouse validation message quoting a field, an SDK
 * ValidationException quoting its input), and a class name cannot.
 */
export function powertoolsTracing(tracer: Tracer): LambdaTracing {
  if (!tracer.isTracingEnabled()) return NO_TRACING;
  const inSubsegment = <T>(name: string, run: (subsegment: Subsegment | undefined) => Promise<T>): Promise<T> =>
    tracer.provider.captureAsyncFunc(name, async (subsegment) => {
      try {
        return await run(subsegment);
      } catch (error) {
        subsegment?.addAnnotation('error', errorName(error));
        flagFailure(subsegment, error);
        throw error;
      } finally {
        closeQuietly(subsegment);
      }
    }) as Promise<T>;

  return {
    enabled: true,
    spans: {
      span: (name, annotations, run) =>
        inSubsegment(name, (subsegment) => {
          const span: Span = { annotate: (key, value) => subsegment?.addAnnotation(key, value) };
          for (const [key, value] of Object.entries(annotations)) span.annotate(key as keyof typeof annotations, value);
          return run(span);
        }),
    },
    captureAWSv3Client: (client) => tracer.captureAWSv3Client(client),
    handler: <H extends AsyncHandler>(handler: H): H => {
      const traced = (...args: Parameters<H>) =>
        inSubsegment(`## ${process.env['_HANDLER'] ?? 'handler'}`, () => {
          tracer.annotateColdStart();
          tracer.addServiceNameAnnotation();
          return handler(...args);
        });
      // The same parameters and result: only the overloads (the scheduled runs' handler has some) are lost on the way.
      return traced as unknown as H;
    },
  };
}

/** X-Ray's flags: throttle for a rate limit, error for another 4xx, fault for the rest (5xx, network, our own bugs). */
function flagFailure(subsegment: Subsegment | undefined, error: unknown): void {
  if (!subsegment) return;
  const status = statusOf(error);
  const throttled = error instanceof RateLimited || status === 429;
  if (throttled) subsegment.addThrottleFlag();
  if (throttled || (status !== undefined && status >= 400 && status < 500)) subsegment.addErrorFlag();
  else subsegment.addFaultFlag();
}

/** The HTTP status an error carries: ours (ApiError.status) or the AWS SDK's ($metadata). */
function statusOf(error: unknown): number | undefined {
  const carried = error as { status?: unknown; $metadata?: { httpStatusCode?: unknown } } | undefined;
  const status = carried?.status ?? carried?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** A subsegment that fails to close or serialize loses its trace, never the invocation. */
function closeQuietly(subsegment: Subsegment | undefined): void {
  try {
    subsegment?.close();
  } catch {
    // Nothing to do: the call's own outcome stands.
  }
}

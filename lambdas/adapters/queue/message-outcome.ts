import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { SdkError } from '@smithy/types';
import { ApiError, NetworkError, RateLimited, ServerError } from '#core/api-errors';
import { RetryLater } from '#core/sync/retry-later';

/**
 * What a consumer's failure means for its message. Transient: it will pass by itself (a rate limit, a
 * 5xx or a timeout after the client's own retries, a revision race); the message waits and nothing is
 * counted. Failure: anything else, counted toward the dead-letter queue.
 */
export type MessageOutcome =
  | {
      readonly kind: 'transient';
      readonly retryAfterSeconds: number;
      /** A rate limit: the rest of the batch would only meet it too, so it waits without being tried. */
      readonly pausesBatch: boolean;
      readonly reason: string;
    }
  | { readonly kind: 'failure'; readonly reason: string };

/** After the clients' own quick retries a 5xx or a timeout is an outage: look again in a few seconds. */
const OUTAGE_RETRY_SECONDS = 5;

export function classifyOutcome(error: unknown): MessageOutcome {
  const reason = describeError(error);
  if (error instanceof RateLimited) return { kind: 'transient', retryAfterSeconds: error.retryAfterSeconds, pausesBatch: true, reason };
  if (error instanceof RetryLater) return { kind: 'transient', retryAfterSeconds: error.retryAfterSeconds, pausesBatch: false, reason };
  if (error instanceof ServerError || error instanceof NetworkError || isTransientAwsError(error)) {
    return { kind: 'transient', retryAfterSeconds: OUTAGE_RETRY_SECONDS, pausesBatch: false, reason };
  }
  return { kind: 'failure', reason };
}

/**
 * Bedrock's 408 for a model that took too long: a client fault to the SDK's classifier, but it passes
 * by itself like a 5xx (the same request succeeds later).
 */
const TRANSIENT_AWS_NAMES = new Set(['ModelTimeoutException', 'ModelNotReadyException']);

/** DynamoDB, SQS, Secrets Manager and Bedrock errors as the SDK's own retry strategy classifies them. */
function isTransientAwsError(error: unknown): boolean {
  if (!(error instanceof Error) || !('$metadata' in error || error.name === 'TimeoutError')) return false;
  const sdkError = error as SdkError;
  return TRANSIENT_AWS_NAMES.has(error.name) || isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError);
}

/**
 * One line that says what failed without quoting data: the error's name and, for the APIs, the system,
 * method, path template and status (`ServerError: beamery GET /v1/contact/{id} 503`). Ids in paths are
 * replaced, so a reason can be logged and carried on a dead-lettered message as it is.
 */
export function describeError(error: unknown): string {
  if (error instanceof RetryLater) return `RetryLater: ${error.reason}`;
  const { errorName, system, httpMethod, pathTemplate: path, httpStatus } = errorDetail(error);
  if (system === undefined) return httpStatus === undefined ? `${errorName}` : `${errorName} ${httpStatus}`;
  return [`${errorName}:`, system, httpMethod, path, httpStatus].filter((part) => part !== undefined && part !== '').join(' ');
}

/** What failed as fields of a structured log line: the parts `describeError` joins. */
export interface ErrorDetail {
  readonly errorName: string;
  readonly system?: string;
  readonly httpMethod?: string;
  readonly pathTemplate?: string;
  readonly httpStatus?: number;
}

export function errorDetail(error: unknown): ErrorDetail {
  if (!(error instanceof Error)) return { errorName: 'non-error' };
  if (!(error instanceof ApiError)) {
    const status = awsStatus(error);
    return status === undefined ? { errorName: error.name } : { errorName: error.name, httpStatus: status };
  }
  const [method = '', path = ''] = error.operation.split(' ');
  return {
    errorName: error.name,
    system: error.system,
    httpMethod: method,
    pathTemplate: pathTemplate(path),
    ...(error.status === undefined ? {} : { httpStatus: error.status }),
  };
}

/** An AWS SDK error's HTTP status. */
function awsStatus(error: Error): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/** `/v3/candidates/123/notes` → `/v3/candidates/{id}/notes`: numbers, uuids and long tokens are ids. */
export function pathTemplate(path: string): string {
  return path
    .split('/')
    .map((segment) => (/^\d+$/.test(segment) || /^[0-9a-f-]{16,}$/i.test(segment) || /[@%]/.test(segment) || (segment.length > 24 && /\d/.test(segment)) ? '{id}' : segment))
    .join('/');
}

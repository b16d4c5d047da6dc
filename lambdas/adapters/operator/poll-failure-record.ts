import type { Message } from '@aws-sdk/client-sqs';

/**
 * What a message on the poller schedules' dead-letter queue (lib/constructs/schedules.ts) says about
 * the poll run that gave up. Two AWS services write there, each in its own documented shape:
 *
 * - Lambda's on-failure destination of an asynchronous invocation, an "invocation record" (AWS Lambda
 *   Developer Guide, "Capturing records of Lambda asynchronous invocations"): a JSON body
 *   `{ version, timestamp, requestContext: { requestId, functionArn, condition, approximateInvokeCount },
 *   requestPayload, responseContext: { statusCode, executedVersion, functionError },
 *   responsePayload: { errorType, errorMessage, trace } }`, where `condition` is RetriesExhausted or
 *   EventAgeExceeded and `requestPayload` is the schedule's input, `{ "poller": "jobs", … }`.
 * - EventBridge Scheduler's dead-letter queue (EventBridge Scheduler User Guide, "Configuring a
 *   schedule's dead-letter queue", retrieving the dead-letter event): the body is the target input
 *   as sent, and the failure is in message attributes ERROR_CODE, ERROR_MESSAGE, EXECUTION_ID,
 *   EXHAUSTED_RETRY_CONDITION (MaximumRetryAttempts or MaximumEventAgeInSeconds; absent when the
 *   error was not retried), IS_PAYLOAD_TRUNCATED, RETRY_ATTEMPTS, SCHEDULED_TIME, SCHEDULE_ARN and
 *   TARGET_ARN.
 *
 * Neither holds a person's data (the inputs name a poller and a window; the errors are the poller's
 * own or AWS's), so everything decoded here may be printed. The stack trace stays out: it is long
 * and says nothing the poller's logs do not.
 */
export interface PollFailure {
  /** Which service wrote the record: Lambda (a run failed) or Scheduler (the poller was never invoked). */
  readonly source: 'lambda-on-failure' | 'scheduler' | 'unrecognised';
  /** The schedule's `poller` input (jobs, candidates, …), when the record carries it. */
  readonly poller?: string;
  /** Why retrying stopped: Lambda's condition, or Scheduler's EXHAUSTED_RETRY_CONDITION. */
  readonly condition?: string;
  /** Lambda's errorType (or functionError when the run left no payload), or Scheduler's ERROR_CODE. */
  readonly error?: string;
  readonly errorMessage?: string;
  /** Invocations tried: Lambda's approximateInvokeCount, or Scheduler's RETRY_ATTEMPTS plus the first. */
  readonly attempts?: number;
  /** When the record was written (Lambda's timestamp) or the run was due (Scheduler's SCHEDULED_TIME). */
  readonly at?: string;
  readonly scheduleArn?: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const count = (value: unknown): number | undefined => {
  const n = typeof value === 'string' && value !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
};

function parse(body: string | undefined): Json | undefined {
  try {
    const value: unknown = JSON.parse(body ?? '');
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function decodePollFailure(message: Message): PollFailure {
  const body = parse(message.Body);
  const attribute = (name: string) => text(message.MessageAttributes?.[name]?.StringValue);

  if (attribute('ERROR_CODE') !== undefined || attribute('SCHEDULE_ARN') !== undefined) {
    const retries = count(attribute('RETRY_ATTEMPTS'));
    // A truncated payload (IS_PAYLOAD_TRUNCATED) does not parse; the attributes still say what failed.
    return compact({
      source: 'scheduler',
      poller: text(body?.['poller']),
      condition: attribute('EXHAUSTED_RETRY_CONDITION'),
      error: attribute('ERROR_CODE'),
      errorMessage: attribute('ERROR_MESSAGE'),
      attempts: retries === undefined ? undefined : retries + 1,
      at: attribute('SCHEDULED_TIME'),
      scheduleArn: attribute('SCHEDULE_ARN'),
    });
  }
  const context = body?.['requestContext'];
  if (body && isObject(context)) {
    const request = body['requestPayload'];
    const response = body['responsePayload'];
    const responseContext = body['responseContext'];
    return compact({
      source: 'lambda-on-failure',
      poller: isObject(request) ? text(request['poller']) : undefined,
      condition: text(context['condition']),
      error: (isObject(response) ? text(response['errorType']) : undefined) ?? (isObject(responseContext) ? text(responseContext['functionError']) : undefined),
      errorMessage: isObject(response) ? text(response['errorMessage']) : undefined,
      attempts: count(context['approximateInvokeCount']),
      at: text(body['timestamp']),
    });
  }
  return { source: 'unrecognised' };
}

/** The failure in a few words, for a one-line listing. */
export function pollFailureReason(failure: PollFailure): string | undefined {
  const error = [failure.error, failure.errorMessage].filter(Boolean).join(': ');
  return [failure.condition, error].filter(Boolean).join(' — ') || undefined;
}

function compact(failure: { [K in keyof PollFailure]: PollFailure[K] | undefined }): PollFailure {
  return Object.fromEntries(Object.entries(failure).filter(([, value]) => value !== undefined)) as unknown as PollFailure;
}

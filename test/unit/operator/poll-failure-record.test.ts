import { describe, expect, it } from 'vitest';
import { decodePollFailure, pollFailureReason } from '#adapters/operator/poll-failure-record';

/** The records' edges the integration test (poller-dlq-cli) does not put on a queue. */
describe('decodePollFailure', () => {
  it('reads a Scheduler event whose payload was truncated from its attributes alone', () => {
    const failure = decodePollFailure({
      Body: '{"poller":"candi',
      MessageAttributes: {
        ERROR_CODE: { DataType: 'String', StringValue: 'TooManyRequestsException' },
        EXHAUSTED_RETRY_CONDITION: { DataType: 'String', StringValue: 'MaximumEventAgeInSeconds' },
        IS_PAYLOAD_TRUNCATED: { DataType: 'String', StringValue: 'true' },
        RETRY_ATTEMPTS: { DataType: 'String', StringValue: '4' },
      },
    });
    expect(failure).toEqual({ source: 'scheduler', condition: 'MaximumEventAgeInSeconds', error: 'TooManyRequestsException', attempts: 5 });
    expect(pollFailureReason(failure)).toBe('MaximumEventAgeInSeconds — TooManyRequestsException');
  });

  it('reads a Lambda record of an event too old to run, which has no response, and one of a timeout, which has no errorType', () => {
    const expired = { version: '1.0', timestamp: '2026-12-04T04:00:00.000Z', requestContext: { condition: 'EventAgeExceeded', approximateInvokeCount: 0 }, requestPayload: { poller: 'users' } };
    expect(decodePollFailure({ Body: JSON.stringify(expired) })).toEqual({ source: 'lambda-on-failure', poller: 'users', condition: 'EventAgeExceeded', attempts: 0, at: expired.timestamp });
    const timedOut = {
      ...expired,
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      responseContext: { statusCode: 200, functionError: 'Unhandled' },
      responsePayload: { errorMessage: 'Task timed out after 900.00 seconds' },
    };
    expect(pollFailureReason(decodePollFailure({ Body: JSON.stringify(timedOut) }))).toBe('RetriesExhausted — Unhandled: Task timed out after 900.00 seconds');
  });

  it('calls anything else unrecognised', () => {
    expect(decodePollFailure({ Body: 'hello' })).toEqual({ source: 'unrecognised' });
    expect(decodePollFailure({ Body: '{"poller":"jobs"}' })).toEqual({ source: 'unrecognised' });
    expect(pollFailureReason({ source: 'unrecognised' })).toBeUndefined();
  });
});

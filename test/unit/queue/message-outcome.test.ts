import { ModelTimeoutException, ServiceUnavailableException } from '@aws-sdk/client-bedrock-runtime';
import { ProvisionedThroughputExceededException, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { Forbidden, NetworkError, RateLimited, ServerError, ValidationFailed, WriteOutcomeUnknown } from '#core/api-errors';
import { classifyOutcome, describeError, errorDetail, pathTemplate } from '#adapters/queue/message-outcome';
import { RetryLater } from '#core/sync/retry-later';

const meta = { $metadata: { httpStatusCode: 400 }, message: 'x' };

describe('message outcomes', () => {
  it('treats rate limits, races, 5xx, network errors and AWS throttling as transient, and only rate limits pause the batch', () => {
    expect(classifyOutcome(new RateLimited('greenhouse', 'GET /v3/candidates', 12, 'server'))).toMatchObject({ kind: 'transient', retryAfterSeconds: 12, pausesBatch: true });
    expect(classifyOutcome(new RetryLater('claim held', 5))).toMatchObject({ kind: 'transient', retryAfterSeconds: 5, pausesBatch: false });
    expect(classifyOutcome(new ServerError('beamery', 'GET /v1/contacts', 503))).toMatchObject({ kind: 'transient', pausesBatch: false });
    expect(classifyOutcome(new NetworkError('bedrock', 'POST /model/x/converse', 'ETIMEDOUT'))).toMatchObject({ kind: 'transient' });
    expect(classifyOutcome(new ProvisionedThroughputExceededException(meta))).toMatchObject({ kind: 'transient' });
    expect(classifyOutcome(new ModelTimeoutException({ ...meta, $metadata: { httpStatusCode: 408 } }))).toMatchObject({ kind: 'transient' });
    expect(classifyOutcome(new ServiceUnavailableException({ ...meta, $metadata: { httpStatusCode: 503 } }))).toMatchObject({ kind: 'transient' });
  });

  it('counts everything else as a real failure', () => {
    for (const error of [
      new ValidationFailed('beamery', 'PATCH /v1/contact/abc', 422, ['bad']),
      new Forbidden('greenhouse', 'GET /v3/candidates', 'harvest:candidates:list'),
      new WriteOutcomeUnknown('beamery', 'POST /v1/contacts', new ServerError('beamery', 'POST /v1/contacts', 500)),
      new ResourceNotFoundException(meta),
      new TypeError('a bug'),
      'a string',
    ]) {
      expect(classifyOutcome(error).kind).toBe('failure');
    }
  });

  it('names the error, system, method, path template and status, and no ids or values', () => {
    const error = new ValidationFailed('greenhouse', 'PATCH /v3/candidates/60304594', 422, ['email jane@example.com is taken']);
    expect(describeError(error)).toBe('ValidationFailed: greenhouse PATCH /v3/candidates/{id} 422');
    expect(errorDetail(error)).toEqual({ errorName: 'ValidationFailed', system: 'greenhouse', httpMethod: 'PATCH', pathTemplate: '/v3/candidates/{id}', httpStatus: 422 });
    expect(describeError(new ResourceNotFoundException(meta))).toBe('ResourceNotFoundException 400');
    expect(pathTemplate('/v1/contact/0f9e8d7c-aaaa-bbbb-cccc-123456789abc/notes')).toBe('/v1/contact/{id}/notes');
    expect(pathTemplate('/v3/applications/12/attachments')).toBe('/v3/applications/{id}/attachments');
  });
});

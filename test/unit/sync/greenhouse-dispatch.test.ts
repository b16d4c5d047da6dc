import { describe, expect, it } from 'vitest';
import { batchIdsOf, greenhouseTask } from '#core/sync/greenhouse-dispatch';
import { ENVELOPE_VERSION, type GreenhouseEventEnvelope } from '#core/envelope';

const envelope = (action: string, entityKey: string): GreenhouseEventEnvelope => ({
  v: ENVELOPE_VERSION,
  kind: 'greenhouse.event',
  action,
  entityKey,
  origin: 'webhook',
  observedAt: '2026-11-23T10:00:00.000Z',
  deliveryId: 'd',
  refs: {},
});

describe('what a greenhouse-changes message asks for', () => {
  it.each(['new_candidate_application', 'update_candidate', 'reject_candidate', 'delete_application'])('%s reconciles the candidate', (action) => {
    expect(greenhouseTask(envelope(action, 'greenhouse#candidate#7'))).toEqual({ kind: 'candidate', candidateId: '7' });
  });

  it.each(['job_created', 'job_updated', 'job_post_updated', 'job_interview_stage_deleted'])('%s reconciles the job', (action) => {
    expect(greenhouseTask(envelope(action, 'greenhouse#job#5'))).toEqual({ kind: 'job', jobId: '5' });
  });

  it.each(['merge_candidate', 'candidate_anonymized', 'delete_candidate'])('%s goes to the candidate lifecycle', (action) => {
    expect(greenhouseTask(envelope(action, 'greenhouse#candidate#7'))).toEqual({ kind: 'candidate-lifecycle' });
  });

  it('says what it does not handle yet instead of guessing', () => {
    expect(greenhouseTask(envelope('offer_created', 'greenhouse#application#9')).kind).toBe('not-handled');
    expect(greenhouseTask(envelope('job_post_updated', 'greenhouse#job_post#3')).kind).toBe('not-handled');
  });
});

describe('what a batch of messages reads together', () => {
  it('takes the candidates and jobs the batch reconciles, nothing of lifecycle events, other entities or Beamery changes', () => {
    const beamery = { v: ENVELOPE_VERSION, kind: 'beamery.change', entityKey: 'beamery#contact#c1', origin: 'poll', observedAt: '2026-11-23T10:00:00.000Z', deliveryId: 'b', pushRequested: false } as const;
    const ids = batchIdsOf([
      envelope('update_candidate', 'greenhouse#candidate#7'),
      envelope('job_updated', 'greenhouse#job#5'),
      envelope('delete_candidate', 'greenhouse#candidate#8'),
      envelope('offer_created', 'greenhouse#application#9'),
      envelope('new_candidate_application', 'greenhouse#candidate#11'),
      beamery,
    ]);
    expect(ids).toEqual({ candidateIds: [7, 11], jobIds: [5] });
  });
});

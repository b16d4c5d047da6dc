import { describe, expect, it } from 'vitest';
import { mapCandidateToContact, rejectionReasonIdsOf } from '#core/mapping/contact';
import type { RejectionDetail } from '#core/greenhouse/records';
import { application, candidateSnapshot } from '../mapping/fixtures.ts';

/** A rejected application's reason comes from rejection_details, its own field only as a fallback. */
const detail = (patch: Partial<RejectionDetail> & { id: number }): RejectionDetail => ({ application_id: 5001, rejection_reason_id: 61, rejected_at: '2026-09-30T10:00:00Z', ...patch });
const reasons = new Map([
  [61, 'Lacks skills or qualifications'],
  [62, 'Hired another candidate'],
]);

describe('rejection reasons from rejection_details', () => {
  it('takes the reason of each application\'s latest rejection, by rejected_at then id', () => {
    const ids = rejectionReasonIdsOf([
      detail({ id: 1, rejection_reason_id: 61, rejected_at: '2026-09-01T10:00:00Z' }),
      detail({ id: 2, rejection_reason_id: 62, rejected_at: '2026-09-30T10:00:00Z' }),
      detail({ id: 3, application_id: 5002, rejection_reason_id: 61 }),
      detail({ id: 4, application_id: 5002, rejection_reason_id: 62 }),
      detail({ id: 5, application_id: 5003, rejection_reason_id: null }),
    ]);
    expect([...ids]).toEqual([
      [5001, 62],
      [5002, 62],
    ]);
  });

  it('maps the membership reason from the details, without rejection_reason_id on the application', () => {
    const mapped = mapCandidateToContact(
      candidateSnapshot({ applications: [application({ id: 5001, status: 'rejected' })], rejectionReasons: reasons, rejectionReasonIds: new Map([[5001, 62]]) }),
    );
    expect(mapped.memberships[0]).toMatchObject({ rejectionReason: 'Hired another candidate' });
  });

  it('prefers the details over the application\'s own field, and falls back to that field when no detail is known', () => {
    const both = candidateSnapshot({ applications: [application({ id: 5001, status: 'rejected', rejection_reason_id: 61 })], rejectionReasons: reasons });
    expect(mapCandidateToContact({ ...both, rejectionReasonIds: new Map([[5001, 62]]) }).memberships[0]?.rejectionReason).toBe('Hired another candidate');
    expect(mapCandidateToContact({ ...both, rejectionReasonIds: new Map() }).memberships[0]?.rejectionReason).toBe('Lacks skills or qualifications');
  });

  it('carries no reason for an application that is not rejected, whatever the details say', () => {
    const mapped = mapCandidateToContact(candidateSnapshot({ rejectionReasons: reasons, rejectionReasonIds: new Map([[5001, 62]]) }));
    expect(mapped.memberships[0]).not.toHaveProperty('rejectionReason');
  });
});

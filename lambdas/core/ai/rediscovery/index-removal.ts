import { isoNow, type Clock } from '#core/clock';
import { entityKey } from '#core/envelope';
import type { AuditStore } from '#core/sync/ports';
import type { AiMemory } from '../ports.ts';
import type { IndexRemovalReason } from '../route-task.ts';
import { syncCandidateIndex, type IndexSyncDependencies, type IndexSyncResult } from './index-sync.ts';
import { vectorKey } from './ports.ts';

/**
 * A candidate deleted, merged away or anonymized in Greenhouse leaves the rediscovery index in the
 * message that handles the event: vector and metadata deleted by key, then one Audit entry, so the
 * erasure is on record. An anonymization is also remembered (AI memory, for the Audit's retention):
 * one that kept the name is not visible on the record, and a later profile sync must not index them
 * again. A merge's survivor is synced at once, since their profile now holds both.
 */

const anonymizedKey = (candidateId: number) => `rediscovery#anonymized#${candidateId}`;

/** Whether the bridge saw this candidate's `candidate_anonymized` (index-sync.ts `isAnonymized`). */
export function anonymizedBy(memory: AiMemory): (candidateId: number) => Promise<boolean> {
  return async (candidateId) => (await memory.get<boolean>(anonymizedKey(candidateId))) === true;
}

export interface IndexRemoval {
  readonly candidateId: number;
  readonly reason: IndexRemovalReason;
  readonly survivorId?: number;
}

export interface IndexRemovalDependencies extends IndexSyncDependencies {
  readonly memory: AiMemory;
  readonly audit: AuditStore;
  readonly clock: Clock;
}

export async function removeFromIndex(removal: IndexRemoval, deps: IndexRemovalDependencies): Promise<{ readonly survivor?: IndexSyncResult }> {
  const { candidateId, reason } = removal;
  // Remembered before the delete: a sync racing this message then cannot put them back.
  if (reason === 'anonymized') await deps.memory.put(anonymizedKey(candidateId), true);
  await deps.index.delete([vectorKey(candidateId)]);
  await deps.audit.record({
    kind: 'ai-index-removal',
    entityKey: entityKey('greenhouse', 'candidate', candidateId),
    summary: `Candidate ${candidateId} was removed from the rediscovery index (${reason}): no vector or metadata of theirs remains.`,
    detail: { workflow: 'rediscovery', candidateId, reason, ...(removal.survivorId !== undefined ? { survivorId: removal.survivorId } : {}) },
    at: isoNow(deps.clock),
  });
  if (removal.survivorId === undefined) return {};
  return { survivor: await syncCandidateIndex([removal.survivorId], deps) };
}

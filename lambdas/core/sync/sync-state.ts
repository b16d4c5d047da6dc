import type { SyncState } from './ports.ts';

/**
 * The coalescing rule (DESIGN principle 3): a message observed before the entity's last reconcile
 * read its source is already covered by that read, and is acknowledged with zero API calls.
 */
export function isCovered(state: SyncState | undefined, observedAt: string): boolean {
  return state !== undefined && Date.parse(observedAt) <= Date.parse(state.reconciledAt);
}

/** The state to store after a successful reconcile that read its source at `readAt`. */
export function nextSyncState(
  previous: SyncState | undefined,
  entityKey: string,
  fieldHashes: Readonly<Record<string, string>>,
  readAt: string,
  sourceVersion?: string,
): SyncState {
  return {
    entityKey,
    fieldHashes,
    reconciledAt: readAt,
    ...(sourceVersion !== undefined ? { sourceVersion } : {}),
    revision: previous?.revision ?? 0,
  };
}

/**
 * What the sync needs from storage, as interfaces the core owns (adapters in lambdas/adapters/store
 * implement them on DynamoDB; tests may use the in-memory ones beside them). Keys follow
 * lambdas/core/envelope.ts `entityKey`: `greenhouse#candidate#123`, `beamery#contact#<uuid>`,
 * `greenhouse#job#7`, `beamery#vacancy#<uuid>`, …
 *
 * No PII is stored through these ports: ids, versions, timestamps, hashes.
 */

export type LinkStatus = 'active' | 'merged-into' | 'anonymized' | 'deleted';

/** One Greenhouse entity linked to one Beamery entity (candidate ⇄ contact, job ⇄ vacancy, user ⇄ user, …). */
export interface Link {
  readonly greenhouseKey: string;
  readonly beameryKey: string;
  readonly status: LinkStatus;
  /** With status `merged-into`: the Greenhouse key of the winner. */
  readonly mergedInto?: string;
  /** ISO time of the last change to the link. */
  readonly updatedAt: string;
}

export interface IdMapStore {
  byGreenhouse(greenhouseKey: string): Promise<Link | undefined>;
  /** Through the reverse-lookup index. Several Greenhouse keys may point at one Beamery key (merges). */
  byBeamery(beameryKey: string): Promise<Link[]>;
  /** Creates or replaces the link of `greenhouseKey`. */
  put(link: Link): Promise<void>;
}

/**
 * What the last successful reconcile of an entity wrote, so the next one writes only what changed
 * (and recognises its own writes when read back). Field groups are the mapping's units of change
 * (`identity`, `emails`, `phones`, `links`, `location`, `role`, `tags`, `applications`, …); each is
 * stored as a hash of its mapped value.
 */
export interface SyncState {
  readonly entityKey: string;
  /** Hash per field group of the value last written to (or confirmed in) the other system. */
  readonly fieldHashes: Readonly<Record<string, string>>;
  /** ISO time at which the source was read for the last reconcile: messages observed before it are covered. */
  readonly reconciledAt: string;
  /** Source version seen at that reconcile (Greenhouse `updated_at`, Beamery `updatedAt`). */
  readonly sourceVersion?: string;
  /** Optimistic-concurrency counter, maintained by the store. */
  readonly revision: number;
}

export interface LedgerStore {
  getSyncState(entityKey: string): Promise<SyncState | undefined>;
  /**
   * Writes the state if the stored revision is still `state.revision` (0 = none stored yet) and stores
   * it with revision + 1. Returns false when another writer got there first.
   */
  putSyncState(state: SyncState): Promise<boolean>;

  /**
   * Records that child item `itemId` of `entityKey` (a note, an attachment) has been copied. Returns
   * true the first time, false if it was already recorded: the one-copy guarantee.
   */
  markCopied(entityKey: string, kind: 'note' | 'attachment', itemId: string): Promise<boolean>;
  /** Whether the mark is there, without taking it (note-copy.ts marks only after the copy exists). */
  isCopied(entityKey: string, kind: 'note' | 'attachment', itemId: string): Promise<boolean>;
  /** Forgets a mark, when the copy it announced failed after all. */
  unmarkCopied(entityKey: string, kind: 'note' | 'attachment', itemId: string): Promise<void>;

  /**
   * The fingerprint (own-write.ts) of the state the bridge's own last write to `entityKey` left it in,
   * so the webhook or poll that reports that write back is recognised with one read. Only the latest is kept.
   */
  recordOwnWrite(entityKey: string, version: string): Promise<void>;
  ownWriteVersion(entityKey: string): Promise<string | undefined>;

  /**
   * A creation in the target system begun for `entityKey` at `at`, recorded before the create call and
   * cleared once the link is stored: a retry after a crash between the two finds a record and looks for
   * what it made instead of making it twice (reconcile-candidate.ts).
   */
  recordCreationStarted(entityKey: string, at: string): Promise<void>;
  creationStartedAt(entityKey: string): Promise<string | undefined>;
  clearCreationStarted(entityKey: string): Promise<void>;

  getWatermark(poller: string): Promise<string | undefined>;
  /** Only moves forward: a smaller value than the stored one is ignored. */
  advanceWatermark(poller: string, value: string): Promise<void>;

  /** Keyed hashes (HMAC of the normalised email) of anonymized people: never the plain address. */
  recordAnonymized(identityHash: string, at: string): Promise<void>;
  isBlockedAsAnonymized(identityHash: string): Promise<boolean>;
  /** Consent recorded for a re-added person: lifts the block. */
  recordConsent(identityHash: string, at: string): Promise<void>;
}

export type AuditKind =
  | 'sync-conflict'
  | 'operator-task'
  | 'sync-skipped'
  /** A model (or the offline provider) was called: workflow, provider, model, prompt version, input hash, output, tokens, latency. */
  | 'ai-inference'
  /** An earlier inference's result was used again (same inputs, prompt version and model): no model call. */
  | 'ai-reused'
  /** The workflow could not run on this input (no resume, a scanned file, no job post): recorded, not guessed. */
  | 'ai-not-screenable'
  /** The model's answer could not be used (invalid after re-asking, or a guardrail intervened). */
  | 'ai-failed'
  /** A candidate was removed from the rediscovery index (deleted, merged away, anonymized): ids and the reason only. */
  | 'ai-index-removal'
  /** An offer was checked against its band and the rules (no model): each check's result and numbers, and whether approvals were requested. */
  | 'offer-check'
  /** A workflow skipped an application because its candidate opted out of AI review (a tag or a field). */
  | 'ai-opted-out'
  /** A person acted against the AI's screening (changed its score, removed its needs-review tag, advanced a low score): ids, kind, scores. */
  | 'ai-override';

export interface AuditEntry {
  readonly kind: AuditKind;
  readonly entityKey: string;
  /** What happened, in words an operator reads; ids only, never names or emails. */
  readonly summary: string;
  readonly detail?: Readonly<Record<string, string | number | boolean | null>>;
  readonly at: string;
}

export interface AuditStore {
  record(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  list(entityKey: string): Promise<AuditEntry[]>;
}

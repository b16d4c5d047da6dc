import type { CandidateProfile } from './profile.ts';
import type { VectorMetadata } from './ports.ts';

/**
 * What a sync of past candidates into the vector index has to do, from their current profiles and what
 * the index holds: embed only a candidate whose profile hash changed (embedding costs money and time;
 * an unchanged profile would give the same vector), and re-put the stored vector with fresh metadata
 * when only the last-activity date moved, so the index's activity filter does not work from an old
 * date. Removing candidates (anonymized, deleted, merged away) is the caller's, by key.
 */
export interface IndexPlan {
  /** New candidates and changed profiles: embed, then put. */
  readonly embed: readonly CandidateProfile[];
  /** Same profile, other last activity: put the stored vector again with this metadata. */
  readonly refreshMetadata: readonly VectorMetadata[];
  /** Nothing to do. */
  readonly unchanged: number;
}

export function indexPlan(
  current: readonly { readonly profile: CandidateProfile; readonly lastActivityAt: string | null }[],
  stored: ReadonlyMap<number, VectorMetadata>,
): IndexPlan {
  const embed: CandidateProfile[] = [];
  const refreshMetadata: VectorMetadata[] = [];
  let unchanged = 0;
  for (const { profile, lastActivityAt } of current) {
    const held = stored.get(profile.candidateId);
    if (held?.hash !== profile.hash) embed.push(profile);
    else if (held.lastActivityAt !== lastActivityAt) refreshMetadata.push({ ...held, lastActivityAt });
    else unchanged++;
  }
  return { embed, refreshMetadata, unchanged };
}

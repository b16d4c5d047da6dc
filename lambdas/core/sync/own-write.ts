import type { Candidate } from '#core/greenhouse/records';
import { hashFieldGroup } from '#core/mapping/field-groups';
import { personFromCandidate } from '#core/mapping/person';

/**
 * What identifies the state a Beamery → Greenhouse write left a candidate in, so the webhook or poll
 * that reports it back is recognised from the candidate alone: its `updated_at` and a hash of what the
 * sync maps. The time alone is not enough: Greenhouse's timestamps may be coarser than two edits (a
 * person's edit in the same second as the bridge's write must not pass for its echo), and the hash
 * alone would take an edit that was undone for no change. Undefined when the record has no time.
 */
export function ownWriteFingerprint(candidate: Candidate): string | undefined {
  if (!candidate.updated_at) return undefined;
  const mapped = { person: personFromCandidate(candidate, {}), private: candidate.private === true, customFields: candidate.custom_fields ?? null };
  return `${new Date(candidate.updated_at).toISOString()}#${hashFieldGroup(mapped)}`;
}

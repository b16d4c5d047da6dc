import { createHash } from 'node:crypto';

/**
 * Field groups are the mapping's units of change: the reconciler stores one hash per group in the
 * Ledger (SyncState.fieldHashes) and writes only the groups whose hash moved. The hash must not
 * depend on key order or on `undefined` members (a field the source does not have), so values are
 * hashed as canonical JSON: object keys sorted, `undefined` dropped, array order kept (list order
 * is meaningful: the first email is the primary one, stages are ordered).
 */

/** JSON with object keys sorted at every depth; `undefined` members are left out, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeys(item)));
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) sorted[key] = sortKeys(member);
    }
    return sorted;
  }
  return value;
}

/** sha256 (hex) of the canonical JSON of one group's mapped value. */
export function hashFieldGroup(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** The hash of every group, ready for SyncState.fieldHashes. */
export function hashFieldGroups<G extends string>(groups: Readonly<Record<G, unknown>>): Record<G, string> {
  const hashes = {} as Record<G, string>;
  for (const name of Object.keys(groups).sort() as G[]) hashes[name] = hashFieldGroup(groups[name]);
  return hashes;
}

/**
 * The groups whose hash differs from the last-synced one (a group missing from `previous` counts as
 * changed), in name order. With no previous state every group is changed: a first sync writes all.
 */
export function changedFieldGroups<G extends string>(current: Readonly<Record<G, string>>, previous: Readonly<Record<string, string>> | undefined): G[] {
  return (Object.keys(current) as G[]).filter((name) => previous?.[name] !== current[name]).sort();
}

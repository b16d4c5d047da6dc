/** What a reconcile attempt answers when another writer stored the entity's sync state between its read and its write. */
export type RevisionConflict = 'conflict';

/**
 * Runs a reconcile, and once more when it lost the revision race: the other writer's result is then
 * stored, so the second run starts from it. A second loss in a row means the entity is contended beyond
 * what one message should wait for; the throw lets the queue redeliver it.
 */
export async function withRevisionRetry<T>(attempt: () => Promise<T | RevisionConflict>, lostTwiceMessage: string): Promise<T> {
  const first = await attempt();
  if (first !== 'conflict') return first;
  const second = await attempt();
  if (second === 'conflict') throw new Error(lostTwiceMessage);
  return second;
}

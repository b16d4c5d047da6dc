/**
 * Helpers for wrapping a reads port (the Greenhouse client or a wrapper of it) with some of its methods
 * served another way: shared by the batch reads of one invocation (batched-candidate-reads.ts) and the
 * container's reference cache (greenhouse-reference-cache.ts).
 */

/**
 * `target` with some of its methods replaced. A Proxy rather than a spread: the Greenhouse client is a
 * class, whose methods live on its prototype and must run bound to the client itself.
 */
export function withReads<R extends object>(target: R, overrides: Partial<R>): R {
  return new Proxy(target, {
    get(object, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof R];
      const value = Reflect.get(object, property, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

/** Whether a query sets anything besides what was taken out of it: such a query is read as asked. */
export function hasOther(rest: Record<string, unknown>): boolean {
  return Object.values(rest).some((v) => v !== undefined);
}

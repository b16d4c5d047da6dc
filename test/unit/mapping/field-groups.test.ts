import { describe, expect, it } from 'vitest';
import { canonicalJson, changedFieldGroups, hashFieldGroup, hashFieldGroups } from '#core/mapping/field-groups';

describe('field-group hashes', () => {
  it('canonical JSON sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ y: 2, x: 1 }], c: undefined } })).toBe('{"a":{"d":[{"x":1,"y":2}]},"b":1}');
  });

  it('the hash does not depend on key order', () => {
    expect(hashFieldGroup({ firstName: 'Noor', lastName: 'V' })).toBe(hashFieldGroup({ lastName: 'V', firstName: 'Noor' }));
  });

  it('the hash depends on list order (the first email is the primary one)', () => {
    expect(hashFieldGroup(['a@example.test', 'b@example.test'])).not.toBe(hashFieldGroup(['b@example.test', 'a@example.test']));
  });

  it('an absent field and an undefined one hash the same', () => {
    expect(hashFieldGroup({ title: 'x', company: undefined })).toBe(hashFieldGroup({ title: 'x' }));
  });

  it('is sha256 hex, stable across runs', () => {
    expect(hashFieldGroup({})).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    expect(hashFieldGroup(undefined)).toBe(hashFieldGroup(null));
  });

  it('with no previous state every group is changed; otherwise only the ones whose hash moved', () => {
    const now = hashFieldGroups({ tags: ['a'], role: { title: 'x' } });
    expect(changedFieldGroups(now, undefined)).toEqual(['role', 'tags']);
    expect(changedFieldGroups(now, { ...now, tags: 'old' })).toEqual(['tags']);
    expect(changedFieldGroups(now, now)).toEqual([]);
  });
});

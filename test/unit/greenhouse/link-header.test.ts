import { describe, expect, it } from 'vitest';
import { parseNextLink } from '#adapters/greenhouse/link-header';

describe('parseNextLink', () => {
  it.each([
    ['<https://harvest.greenhouse.io/v3/candidates?cursor=abc>; rel="next"', 'https://harvest.greenhouse.io/v3/candidates?cursor=abc'],
    ['<https://h.example/v3/jobs?cursor=x>; rel=next', 'https://h.example/v3/jobs?cursor=x'],
    ['<https://h.example/a?cursor=1>; rel="prev", <https://h.example/a?cursor=2>; rel="next"', 'https://h.example/a?cursor=2'],
    ['<https://h.example/a?cursor=a,b>; rel="next"', 'https://h.example/a?cursor=a,b'],
    ['<https://h.example/a?cursor=3>; title="x, y"; rel="next last"', 'https://h.example/a?cursor=3'],
    ['<https://h.example/a?cursor=4>; REL="Next"', 'https://h.example/a?cursor=4'],
  ])('finds the next link in %s', (header, expected) => {
    expect(parseNextLink(header)).toBe(expected);
  });

  it.each([[null], [undefined], [''], ['<https://h.example/a>; rel="prev"'], ['garbage'], ['<>; rel="next"']])(
    'finds none in %s',
    (header) => {
      expect(parseNextLink(header)).toBeUndefined();
    },
  );

  it('returns the target verbatim (no re-encoding of the opaque cursor)', () => {
    const target = 'https://h.example/v3/candidates?cursor=eyJxIjp7fSwiYmVsb3ciOjEwfQ';
    expect(parseNextLink(`<${target}>; rel="next"`)).toBe(target);
  });
});

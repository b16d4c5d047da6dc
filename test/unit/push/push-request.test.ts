import { describe, expect, it } from 'vitest';
import { judgePushRequest, MAX_PUSH_BODY_BYTES } from '#core/push/push-request';

const KEY = 'k-0123456789abcdef';
const body = (text: string) => new TextEncoder().encode(text);
const headers = (map: Record<string, string>) => (name: string) => Object.entries(map).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

describe('judgePushRequest', () => {
  it('accepts the key as a bearer token or as x-api-key and answers the ids without duplicates', () => {
    const ids = body('{"contactIds":["b","a","b"]}');
    expect(judgePushRequest({ header: headers({ authorization: `Bearer ${KEY}` }), body: ids, expectedKey: KEY })).toEqual({ outcome: 'accepted', ids: ['b', 'a'] });
    expect(judgePushRequest({ header: headers({ 'X-Api-Key': ` ${KEY} ` }), body: ids, expectedKey: KEY })).toEqual({ outcome: 'accepted', ids: ['b', 'a'] });
  });

  it('refuses a missing key, a wrong key and another scheme before looking at the body', () => {
    const bad = body('not json');
    expect(judgePushRequest({ header: headers({}), body: bad, expectedKey: KEY })).toEqual({ outcome: 'unauthorized', reason: 'missing' });
    expect(judgePushRequest({ header: headers({ authorization: `Bearer ${KEY}x` }), body: bad, expectedKey: KEY })).toEqual({ outcome: 'unauthorized', reason: 'mismatch' });
    expect(judgePushRequest({ header: headers({ authorization: `Basic ${KEY}` }), body: bad, expectedKey: KEY })).toEqual({ outcome: 'unauthorized', reason: 'mismatch' });
  });

  it('refuses a body over the cap with its size, and a malformed one with the reason', () => {
    const header = headers({ 'x-api-key': KEY });
    expect(judgePushRequest({ header, body: new Uint8Array(MAX_PUSH_BODY_BYTES + 1).fill(0x20), expectedKey: KEY })).toEqual({ outcome: 'too-large', bytes: MAX_PUSH_BODY_BYTES + 1 });
    const verdict = judgePushRequest({ header, body: body('{"contactIds":["a"],"contactId":"b"}'), expectedKey: KEY });
    expect(verdict).toEqual({ outcome: 'invalid', reason: 'give either contactIds or contactId, not both' });
  });
});

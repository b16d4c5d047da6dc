import { describe, expect, it } from 'vitest';
import { hashFieldGroup } from '#core/mapping/field-groups';
import { personGroupHashes, type PersonView } from '#core/mapping/person';
import { baseAfterGreenhouseWrite, checkAgainstBeamery, holdsAgreedState } from '#core/sync/pair-state';

const view = (phones: string[]) => ({ phones }) as unknown as PersonView;

describe('agreed state after a Greenhouse → Beamery write', () => {
  it('agrees on what Greenhouse holds, so a phone only Beamery holds still counts as a Beamery change', () => {
    // Found by npm run chaos: a phone added in Beamery while Greenhouse's echo was being reconciled
    // was folded into the agreed state and never reached Greenhouse.
    const greenhouse = view(['+1555', '+1666']);
    const beamery = view(['+1555', '+1666', '+1777']);
    expect(checkAgainstBeamery(['phones'], greenhouse, beamery, undefined).echoes).toEqual(['phones']);
    const base = baseAfterGreenhouseWrite(undefined, ['phones'], greenhouse);
    expect(base['phones']).toBe(hashFieldGroup(['+1555', '+1666']));
    expect(base['phones']).not.toBe(hashFieldGroup([...(beamery as unknown as { phones: string[] }).phones].sort()));
  });
});

describe('whether Greenhouse holds the agreed state', () => {
  const person = (last: string, phones: string[]): PersonView => ({
    name: { first: 'Noor', last },
    emails: ['noor@example.test'],
    phones,
    links: [],
    role: { title: 'Data Engineer' },
    tags: [],
    consent: {},
  });
  const agreed = personGroupHashes(person('Vale', ['+1555']));

  it('holds it when every group Greenhouse → Beamery carries is agreed, whatever the consent (Beamery → Greenhouse only)', () => {
    expect(holdsAgreedState(agreed, person('Vale', ['+1555']))).toBe(true);
    expect(holdsAgreedState(agreed, { ...person('Vale', ['+1555']), consent: { status: 'true' } })).toBe(true);
  });

  it('does not when Greenhouse holds a person\'s edit not synced yet, or list items a union brought from Greenhouse', () => {
    expect(holdsAgreedState(agreed, person('Renamed', ['+1555']))).toBe(false);
    expect(holdsAgreedState(agreed, person('Vale', ['+1555', '+1666']))).toBe(false);
  });
});

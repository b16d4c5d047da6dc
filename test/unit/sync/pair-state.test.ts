import { describe, expect, it } from 'vitest';
import { hashFieldGroup } from '#core/mapping/field-groups';
import type { PersonView } from '#core/mapping/person';
import { baseAfterGreenhouseWrite, checkAgainstBeamery } from '#core/sync/pair-state';

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

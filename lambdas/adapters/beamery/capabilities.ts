import { BEAMERY_CAPABILITIES, type BeameryCapability, type CapabilityStatus } from '#core/ports/beamery-api';

/**
 * Which of the evidence-less features (merge, anonymize, notes, attachments, vacancy stages, and the
 * ASSUMED vacancy create and update paths) the tenant's API has. Discovery, in order:
 * 1. configuration: `false` never calls (the operation answers 'unsupported' at once), `true` calls
 *    and treats every 404 as a missing record;
 * 2. `'probe'` (the default): call; a success marks the feature supported; a 404 (or 405) while the
 *    records named in the call do exist marks it unsupported, and the client stops calling it.
 * A missing route and a missing record both answer 404, so the check of the records is what tells
 * them apart. What was learned lasts as long as the client (a Lambda container's lifetime);
 * `report()` lets an operator see it.
 */
export type CapabilitySetting = boolean | 'probe';

export class Capabilities {
  private readonly learned = new Map<BeameryCapability, boolean>();

  constructor(private readonly configured: Partial<Record<BeameryCapability, CapabilitySetting>> = {}) {}

  status(capability: BeameryCapability): CapabilityStatus {
    const setting = this.configured[capability] ?? 'probe';
    if (setting !== 'probe') return setting ? 'supported' : 'unsupported';
    const learned = this.learned.get(capability);
    return learned === undefined ? 'unknown' : learned ? 'supported' : 'unsupported';
  }

  /** Whether a 404 from this capability's route may mean the route itself is missing. */
  mayBeMissing(capability: BeameryCapability): boolean {
    return this.status(capability) === 'unknown';
  }

  /** Off by configuration (an operator's decision), as opposed to found missing by a probe. */
  configuredOff(capability: BeameryCapability): boolean {
    return this.configured[capability] === false;
  }

  learn(capability: BeameryCapability, supported: boolean): void {
    if ((this.configured[capability] ?? 'probe') === 'probe') this.learned.set(capability, supported);
  }

  report(): Record<BeameryCapability, CapabilityStatus> {
    return Object.fromEntries(BEAMERY_CAPABILITIES.map((c) => [c, this.status(c)])) as Record<BeameryCapability, CapabilityStatus>;
  }
}

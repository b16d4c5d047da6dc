/**
 * The flows an operator can pause (`bridge pause|resume`) without a deploy: each consumer belongs to
 * one, and every poller to `pollers`. Paused work waits; it is never counted as a failure, so a pause
 * of any length dead-letters nothing (lambdas/core/queue/redelivery.ts).
 */
export const SWITCHABLE = ['greenhouse-to-beamery', 'beamery-to-greenhouse', 'ai', 'pollers'] as const;
export type Switchable = (typeof SWITCHABLE)[number];
export const SWITCH_TARGETS = [...SWITCHABLE, 'all'] as const;
export type SwitchTarget = (typeof SWITCH_TARGETS)[number];

/** How long a container trusts the switch it read: the "effective within a minute" an operator is promised. */
export const DEFAULT_SWITCH_CACHE_SECONDS = 60;

export function targetsOf(target: SwitchTarget): readonly Switchable[] {
  return target === 'all' ? SWITCHABLE : [target];
}

export function isSwitchTarget(value: string): value is SwitchTarget {
  return (SWITCH_TARGETS as readonly string[]).includes(value);
}

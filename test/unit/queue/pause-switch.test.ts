import { describe, expect, it } from 'vitest';
import { targetsOf } from '#core/queue/pause';
import { pausedCheck, type PauseState } from '#adapters/store/switches';

describe('pausedCheck', () => {
  it('reads the switch at most once per cache period, and sees a change after it', async () => {
    let state: PauseState = { paused: {} };
    let reads = 0;
    let now = 0;
    const check = pausedCheck({ read: async () => (reads++, state) }, 'ai', { cacheSeconds: 60, now: () => now });
    expect(await check()).toBe(false);
    state = { paused: { ai: '2026-12-04T00:00:00.000Z' } };
    now = 59_999;
    expect(await check()).toBe(false);
    expect(reads).toBe(1);
    now = 60_000;
    expect(await check()).toBe(true);
    expect(reads).toBe(2);
  });

  it('counts an unreadable switch as running: the brake must not stop the bridge by itself', async () => {
    const check = pausedCheck({ read: () => Promise.reject(new Error('throttled')) }, 'pollers');
    expect(await check()).toBe(false);
  });

  it('only sees its own flow', async () => {
    const check = pausedCheck({ read: async () => ({ paused: { 'greenhouse-to-beamery': '2026-12-04T00:00:00.000Z' } }) }, 'beamery-to-greenhouse');
    expect(await check()).toBe(false);
  });
});

describe('targetsOf', () => {
  it('expands all to every flow', () => {
    expect(targetsOf('all')).toEqual(['greenhouse-to-beamery', 'beamery-to-greenhouse', 'ai', 'pollers']);
    expect(targetsOf('ai')).toEqual(['ai']);
  });
});

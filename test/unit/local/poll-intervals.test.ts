import { describe, expect, it } from 'vitest';
import { pollIntervalsFromEnvironment } from '#local/schedules';
import { npmStartExit } from '../../support/npm-start-exit.ts';

describe('npm start: poll intervals from the environment', () => {
  it('takes LOCAL_POLL_INTERVAL_SECONDS for every poller and LOCAL_POLL_INTERVAL_SECONDS_<POLLER> over it', () => {
    expect(pollIntervalsFromEnvironment({})).toEqual({});
    expect(pollIntervalsFromEnvironment({ LOCAL_POLL_INTERVAL_SECONDS_BEAMERY: '30' })).toEqual({ beamery: 30_000 });
    expect(pollIntervalsFromEnvironment({ LOCAL_POLL_INTERVAL_SECONDS: '120', LOCAL_POLL_INTERVAL_SECONDS_DELETIONS: '0', LOCAL_POLL_INTERVAL_SECONDS_JOBS: '0.5' })).toEqual({
      jobs: 500,
      candidates: 120_000,
      scorecards: 120_000,
      profiles: 120_000,
      users: 120_000,
      beamery: 120_000,
      deletions: 0,
      rediscovery: 120_000,
    });
    expect(pollIntervalsFromEnvironment({ LOCAL_POLL_INTERVAL_SECONDS_REDISCOVERY: '60', LOCAL_POLL_INTERVAL_SECONDS_PROFILES: '0' })).toEqual({ rediscovery: 60_000, profiles: 0 });
  });

  it('names every bad variable', () => {
    expect(() => pollIntervalsFromEnvironment({ LOCAL_POLL_INTERVAL_SECONDS_BEAMERY: 'soon', LOCAL_POLL_INTERVAL_SECONDS: '-5' })).toThrow(
      /LOCAL_POLL_INTERVAL_SECONDS[\s\S]*LOCAL_POLL_INTERVAL_SECONDS_BEAMERY/,
    );
  });

  it('makes npm start exit 2 on a bad interval before starting anything', async () => {
    const { code, stderr } = await npmStartExit({ ...process.env, LOCAL_POLL_INTERVAL_SECONDS_BEAMERY: 'soon' });
    expect(code).toBe(2);
    expect(stderr).toContain('LOCAL_POLL_INTERVAL_SECONDS_BEAMERY');
  }, 30_000);
});

import { expect, it } from 'vitest';
import { readPipelineHistory, type PipelineHistoryReads } from '#core/analytics/greenhouse-history';

/**
 * What readPipelineHistory asks Greenhouse (the port in memory, recording each call): the windows it
 * sends, and no listing with an empty id list, which Harvest would answer with the whole tenant.
 */
function recordingPort(jobs: { id: number; status: string; closed_at?: string | null }[] = []) {
  const calls: [string, unknown][] = [];
  const none = async function* () {};
  const port: PipelineHistoryReads = {
    listApplications: (query) => (calls.push(['applications', query]), none()),
    listJobs: (query) => (
      calls.push(['jobs', query]),
      (async function* () {
        yield* jobs as never[];
      })()
    ),
    listJobInterviewStages: (jobIds) => (calls.push(['job_interview_stages', jobIds]), none()),
    listOpenings: (query) => (calls.push(['openings', query]), none()),
    listApplicationStages: (query) => (calls.push(['application_stages', query]), none()),
    listDepartments: () => (calls.push(['departments', undefined]), none()),
    listOffices: () => (calls.push(['offices', undefined]), none()),
  };
  return { port, calls };
}

const AS_OF = Date.parse('2026-06-30T12:00:00Z');

it('reads applications changed in the lookback and the active ones, never prospects, with a two-sided window', async () => {
  const { port, calls } = recordingPort();
  await readPipelineHistory(port, { asOfMs: AS_OF, lookbackDays: 30 });
  expect(calls.filter(([what]) => what === 'applications').map(([, query]) => query)).toEqual([
    { updated_at: 'gte|2026-05-31T12:00:00Z|lte|2026-06-30T12:00:00Z', prospect: false },
    { status: 'active', prospect: false },
  ]);
});

it('sends no stage, opening or stage-history listing with an empty id list', async () => {
  const { port, calls } = recordingPort([{ id: 7, status: 'closed', closed_at: '2020-01-01T00:00:00Z' }]);
  const history = await readPipelineHistory(port, { asOfMs: AS_OF, lookbackDays: 30 });
  expect(history).toEqual({ jobs: [], applications: [], stageVisits: [] });
  expect(calls.map(([what]) => what)).toEqual(['applications', 'applications', 'jobs', 'departments', 'offices']);
});

it('asks for the interview stages and openings of the jobs it keeps only', async () => {
  const { port, calls } = recordingPort([
    { id: 1, status: 'open' },
    { id: 2, status: 'closed', closed_at: '2026-06-10T00:00:00Z' },
    { id: 3, status: 'closed', closed_at: '2025-01-01T00:00:00Z' },
  ]);
  await readPipelineHistory(port, { asOfMs: AS_OF, lookbackDays: 30 });
  expect(calls.find(([what]) => what === 'job_interview_stages')?.[1]).toEqual([1, 2]);
  expect(calls.find(([what]) => what === 'openings')?.[1]).toEqual({ job_ids: [1, 2] });
  expect(calls.some(([what]) => what === 'application_stages')).toBe(false);
});

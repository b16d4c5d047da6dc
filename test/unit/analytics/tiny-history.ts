import type { PipelineHistory, StageVisit } from '#core/analytics/history';

/**
 * Six applications to two jobs, small enough to compute every aggregate by hand (the expected values
 * in the tests are worked out in their comments). Stages: Review (0), Screen (1), Offer (2).
 */
export const TINY_AS_OF = Date.parse('2026-06-30T00:00:00Z');

const d = (day: string) => `2026-${day}T00:00:00.000Z`;
const visit = (applicationKey: string, stage: 'Review' | 'Screen' | 'Offer', entered: string, exited: string | null): StageVisit => ({
  applicationKey,
  stage,
  order: { Review: 0, Screen: 1, Offer: 2 }[stage],
  enteredAt: d(entered),
  exitedAt: exited === null ? null : d(exited),
});

export const TINY: PipelineHistory = {
  jobs: [
    {
      key: 'J1',
      title: 'Software Engineer',
      department: 'Engineering',
      office: 'London',
      status: 'open',
      openedAt: d('05-31'),
      closedAt: null,
      openings: [
        { openedAt: d('05-31'), closedAt: d('06-21'), filled: true },
        { openedAt: d('05-31'), closedAt: null, filled: false },
      ],
    },
    {
      key: 'J2',
      title: 'Account Executive',
      department: 'Sales',
      office: 'Berlin',
      status: 'closed',
      openedAt: d('05-01'),
      closedAt: d('05-31'),
      openings: [{ openedAt: d('05-01'), closedAt: d('05-31'), filled: true }],
    },
  ],
  applications: [
    { key: 'A1', jobKey: 'J1', createdAt: d('06-01'), status: 'hired', hiredAt: d('06-21'), rejectedAt: null, currentStage: 'Offer' },
    { key: 'A2', jobKey: 'J1', createdAt: d('06-02'), status: 'rejected', hiredAt: null, rejectedAt: d('06-06'), currentStage: 'Screen' },
    { key: 'A3', jobKey: 'J1', createdAt: d('06-05'), status: 'active', hiredAt: null, rejectedAt: null, currentStage: 'Screen' },
    { key: 'A4', jobKey: 'J1', createdAt: d('06-20'), status: 'active', hiredAt: null, rejectedAt: null, currentStage: 'Review' },
    { key: 'A5', jobKey: 'J2', createdAt: d('05-02'), status: 'hired', hiredAt: d('05-31'), rejectedAt: null, currentStage: 'Offer' },
    { key: 'A6', jobKey: 'J2', createdAt: d('05-03'), status: 'rejected', hiredAt: null, rejectedAt: d('05-05'), currentStage: 'Review' },
  ],
  stageVisits: [
    visit('A1', 'Review', '06-01', '06-03'),
    visit('A1', 'Screen', '06-03', '06-11'),
    visit('A1', 'Offer', '06-11', '06-21'),
    visit('A2', 'Review', '06-02', '06-04'),
    visit('A2', 'Screen', '06-04', '06-06'),
    visit('A3', 'Review', '06-05', '06-09'),
    visit('A3', 'Screen', '06-09', null),
    visit('A4', 'Review', '06-20', null),
    visit('A5', 'Review', '05-02', '05-04'),
    visit('A5', 'Screen', '05-04', '05-10'),
    visit('A5', 'Offer', '05-10', '05-31'),
    visit('A6', 'Review', '05-03', '05-05'),
  ],
};

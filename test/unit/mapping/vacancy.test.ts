import { describe, expect, it } from 'vitest';
import {
  mapJobToVacancy,
  salaryText,
  userDisplayName,
  vacancyFieldGroups,
  vacancyWriteForGroups,
  type JobSnapshot,
  type VacancyMapping,
  type VacancyMappingOptions,
} from '#core/mapping/vacancy';
import { templateJobRule } from '#core/mapping/rules';
import { changedFieldGroups, hashFieldGroups } from '#core/mapping/field-groups';
import { job, jobSnapshot, stage } from './fixtures.ts';

interface Row {
  /** The seed's "Vacancy Object / Data Mapping Table" row, Beamery ← Greenhouse. */
  readonly row: string;
  readonly given?: Partial<JobSnapshot>;
  readonly options?: VacancyMappingOptions;
  readonly read: (mapped: VacancyMapping) => unknown;
  readonly expected: unknown;
}

const VACANCY_DATA_MAPPING: readonly Row[] = [
  {
    row: "Requisition ID: if a Requisition ID exists in GH then format 'Requisition ID-Job ID'",
    read: (m) => m.vacancy.requisitionId,
    expected: 'REQ-118-71',
  },
  {
    row: 'Requisition ID: otherwise Beamery auto-generates a Requisition ID (none is sent)',
    given: { job: job({ requisition_id: '  ' }) },
    read: (m) => m.vacancy,
    expected: expect.not.objectContaining({ requisitionId: expect.anything() }),
  },
  {
    row: 'Job ID: the Greenhouse job id is stored in the backend',
    given: { job: job({ requisition_id: null }) },
    read: (m) => m.vacancy.greenhouseJobId,
    expected: '71',
  },
  {
    row: 'Title (required) ← Internal Job Name',
    read: (m) => m.vacancy.title,
    expected: 'Senior Data Engineer',
  },
  {
    row: 'Department ← Department',
    read: (m) => [m.vacancy.departmentId, m.vacancy.department],
    expected: ['dep-data', 'Data Platform'],
  },
  {
    row: 'Department: the name is written without a linked Beamery department',
    given: { beameryDepartmentId: undefined },
    read: (m) => [m.vacancy.departmentId, m.vacancy.department],
    expected: [undefined, 'Data Platform'],
  },
  {
    row: 'Managed By ← Hiring Manager > name',
    given: {
      hiringManagers: [
        { id: 2, job_id: 71, user_id: 303, responsible: false },
        { id: 1, job_id: 71, user_id: 301, responsible: true },
      ],
    },
    read: (m) => m.vacancy.managedBy,
    expected: 'Ines Okafor, Priya Raman',
  },
  {
    row: 'Sourced By ← Sourcer > name',
    read: (m) => m.vacancy.sourcedBy,
    expected: 'Tomas Lindqvist',
  },
  {
    row: 'Description ← Job Notes',
    read: (m) => m.vacancy.description,
    expected: '<p>Owns the streaming platform.</p>',
  },
  {
    row: 'Location ← Office (every office of the job)',
    read: (m) => [m.vacancy.location, m.extras.officeNames],
    expected: [{ address: 'Bristol; Lisbon' }, ['Bristol', 'Lisbon']],
  },
  {
    row: 'Privacy (visibility) ← Confidential',
    given: { job: job({ confidential: true }) },
    read: (m) => m.vacancy.privacy,
    expected: 'private',
  },
  {
    row: 'Privacy (visibility): a job that is not confidential is public',
    read: (m) => m.vacancy.privacy,
    expected: 'public',
  },
  {
    row: 'Salary ← Salary (custom field) of type number, as a string',
    read: (m) => m.vacancy.salary,
    expected: '85000',
  },
  {
    row: 'Salary ← Salary (custom field) of type short text',
    given: { job: job({ custom_fields: { salary: { name: 'Salary', type: 'short_text', value: ' £70k–£85k ' } } }) },
    read: (m) => m.vacancy.salary,
    expected: '£70k–£85k',
  },
  {
    row: 'Salary: the custom field key is configurable',
    given: { job: job({ custom_fields: { base_pay: { name: 'Base pay', type: 'number', value: 91000 } } }) },
    options: { salaryFieldKey: 'base_pay' },
    read: (m) => m.vacancy.salary,
    expected: '91000',
  },
  {
    row: 'Stages ← Job Stages, in Greenhouse order, active ones only',
    given: { stages: [stage(9003, 'Onsite', 2), stage(9001, 'Application Review', 0), stage(9005, 'Old Take Home', 1, false), stage(9002, 'Phone Screen', 1)] },
    read: (m) => m.vacancy.stages,
    expected: [
      { name: 'Application Review', order: 1 },
      { name: 'Phone Screen', order: 2 },
      { name: 'Onsite', order: 3 },
    ],
  },
  {
    row: "Status ← Status: 'Open'",
    read: (m) => m.vacancy.status,
    expected: 'Open',
  },
  {
    row: "Status ← Status: 'Closed'",
    given: { job: job({ status: 'closed' }) },
    read: (m) => m.vacancy.status,
    expected: 'Closed',
  },
  {
    row: "Status ← Status: 'Draft'",
    given: { job: job({ status: 'draft' }) },
    read: (m) => m.vacancy.status,
    expected: 'Draft',
  },
  {
    row: 'Vacancy Owner: not pulled in from Greenhouse',
    read: (m) => m.vacancy.ownerUserId,
    expected: undefined,
  },
];

describe('Vacancy Object: Data Mapping Table (Greenhouse → Beamery)', () => {
  for (const { row, given, options, read, expected } of VACANCY_DATA_MAPPING) {
    it(row, () => {
      expect(read(mapJobToVacancy(jobSnapshot(given), options))).toEqual(expected);
    });
  }
});

describe('vacancy mapping details', () => {
  it.each([
    [{ amount: 85000, currency_code: 'GBP' }, '85000 GBP'],
    [{ min_amount: 70000, max_amount: 85000, currency_code: 'EUR' }, '70000–85000 EUR'],
    [{ min_value: 3, max_value: 5 }, '3–5'],
    [null, undefined],
    ['', undefined],
    [Number.NaN, undefined],
  ])('salary value %j reads as %j', (value, expected) => {
    expect(salaryText(value)).toBe(expected);
  });

  it('a user name is the v3 name, else first and last name', () => {
    expect(userDisplayName({ name: null, first_name: 'Ines', last_name: 'Okafor' })).toBe('Ines Okafor');
    expect(userDisplayName({ name: 'Ines O.', first_name: 'Ines', last_name: 'Okafor' })).toBe('Ines O.');
  });

  it('a job without offices, department or salary leaves those fields alone', () => {
    const mapped = mapJobToVacancy(
      jobSnapshot({ job: job({ office_ids: [], custom_fields: null, notes: null }), departmentName: undefined, beameryDepartmentId: undefined }),
    );
    expect(mapped.vacancy).not.toHaveProperty('location');
    expect(mapped.vacancy).not.toHaveProperty('departmentId');
    expect(mapped.vacancy).not.toHaveProperty('salary');
    expect(mapped.vacancy).not.toHaveProperty('description');
    expect(mapped.vacancy).not.toHaveProperty('department');
  });

  it('a job without hiring managers or sourcers sends no Managed By or Sourced By', () => {
    const mapped = mapJobToVacancy(jobSnapshot({ hiringManagers: [], owners: [] }));
    expect(mapped.vacancy).not.toHaveProperty('managedBy');
    expect(mapped.vacancy).not.toHaveProperty('sourcedBy');
  });

  it('a new hiring manager changes only the team group, and the write carries Managed By and Sourced By', () => {
    const before = mapJobToVacancy(jobSnapshot());
    const snapshot = jobSnapshot();
    const after = mapJobToVacancy({ ...snapshot, hiringManagers: [...snapshot.hiringManagers, { id: 9, job_id: 71, user_id: 303, responsible: false }] });
    const changed = changedFieldGroups(hashFieldGroups(vacancyFieldGroups(after)), hashFieldGroups(vacancyFieldGroups(before)));
    expect(changed).toEqual(['team']);
    expect(vacancyWriteForGroups(after, changed)).toEqual({ managedBy: 'Ines Okafor, Priya Raman', sourcedBy: 'Tomas Lindqvist' });
  });

  it('job templates are not vacancies', () => {
    expect(templateJobRule(job({ is_template: true }))).toEqual({ skip: true, reason: 'job-template' });
    expect(templateJobRule(job())).toEqual({ skip: false });
  });

  it('a renamed stage changes only the stages group, and the write carries only the stages', () => {
    const before = mapJobToVacancy(jobSnapshot());
    const after = mapJobToVacancy(jobSnapshot({ stages: [stage(9001, 'Application Review', 0), stage(9002, 'Recruiter Call', 1)] }));
    const changed = changedFieldGroups(hashFieldGroups(vacancyFieldGroups(after)), hashFieldGroups(vacancyFieldGroups(before)));
    expect(changed).toEqual(['stages']);
    expect(vacancyWriteForGroups(after, changed)).toEqual({
      stages: [
        { name: 'Application Review', order: 1 },
        { name: 'Recruiter Call', order: 2 },
      ],
    });
  });
});

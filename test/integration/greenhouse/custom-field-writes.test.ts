import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GreenhouseClient } from '#adapters/greenhouse/client';
import { CustomFieldValueRejected } from '#adapters/greenhouse/custom-field-values';
import { DEFAULT_SCENARIO_PATH } from '#local/simulators/greenhouse/server';
import type { ScenarioInput } from '#local/simulators/greenhouse/scenario';
import type { ApiContractInput } from '#local/simulators/greenhouse/api-contract';
import { startHarness, type Harness } from './support.ts';

/**
 * Custom fields written in their declared types inside the record's complete set, and title/company
 * cleared with "". Every case runs against the simulator's default (today's assumed semantics) and its
 * strict variant (PATCH replaces the set, select values only as option ids, null title/company a 422),
 * so the client is right whichever one the real API turns out to be.
 */
const base = JSON.parse(readFileSync(DEFAULT_SCENARIO_PATH, 'utf8')) as ScenarioInput;
const scenario: ScenarioInput = {
  ...base,
  custom_fields: [
    ...(base.custom_fields ?? []),
    { id: 541, name: 'Consent Status', name_key: 'consent_status', field_type: 'candidate', value_type: 'single_select' },
    { id: 542, name: 'Languages', name_key: 'languages', field_type: 'candidate', value_type: 'multi_select' },
    { id: 543, name: 'Consent Date', name_key: 'consent_date', field_type: 'candidate', value_type: 'date' },
    { id: 544, name: 'Years Experience', name_key: 'years_experience', field_type: 'candidate', value_type: 'number' },
    { id: 545, name: 'Current Salary', name_key: 'current_salary', field_type: 'candidate', value_type: 'currency' },
  ],
  custom_field_options: [
    ...(base.custom_field_options ?? []),
    { id: 551, custom_field_id: 541, name: 'Granted', sort_order: 0 },
    { id: 552, custom_field_id: 541, name: 'Withdrawn', sort_order: 1 },
    { id: 561, custom_field_id: 542, name: 'English', sort_order: 0 },
    { id: 562, custom_field_id: 542, name: 'Portuguese', sort_order: 1 },
  ],
  candidates: (base.candidates ?? []).map((c) =>
    c.id === 903
      ? {
          ...c,
          custom_fields: {
            desired_salary: { name: 'Desired Salary', type: 'short_text', value: '90k' },
            work_remotely: { name: 'Work Remotely', type: 'yes_no', value: true },
            consent_status: { name: 'Consent Status', type: 'single_select', value: 'Granted' },
            languages: { name: 'Languages', type: 'multi_select', value: ['English', 'Portuguese'] },
            years_experience: { name: 'Years Experience', type: 'number', value: 7 },
          },
        }
      : c,
  ),
};

const STRICT: ApiContractInput = { customFields: 'replace', selectValues: 'ids', clearTitleCompany: 'empty-string' };
const DEFAULT: ApiContractInput = { customFields: 'merge', selectValues: 'ids-or-labels', clearTitleCompany: 'null-accepted' };

let h: Harness;
let client: GreenhouseClient;
/** The JSON bodies of the client's PATCH requests, in order. */
const patches: { url: string; body: Record<string, unknown> }[] = [];

beforeAll(async () => {
  h = await startHarness({ scenario });
  client = h.client({
    fetch: async (input, init) => {
      if (init?.method === 'PATCH') patches.push({ url: String(input), body: JSON.parse(String(init.body)) as Record<string, unknown> });
      return fetch(input, init);
    },
  });
});
afterAll(async () => h.close());

const held = async (id: number) => Object.fromEntries(Object.entries((await client.getCandidate(id))!.custom_fields ?? {}).map(([k, v]) => [k, v?.value]));

describe.each([
  ['default (merge, ids or labels, null clears)', DEFAULT],
  ['strict (replace, ids only, null title a 422)', STRICT],
])('custom-field and title writes against the %s variant', (_name, contract) => {
  beforeEach(async () => {
    await h.admin('POST', '/reset');
    await h.admin('PUT', '/settings', { apiContract: contract });
    await h.admin('DELETE', '/requests');
    patches.length = 0;
  });

  it('changing one field keeps every other field the candidate holds', async () => {
    await client.updateCandidate(903, { custom_fields: [{ name_key: 'consent_status', value: 'Withdrawn' }] });
    expect(await held(903)).toEqual({
      desired_salary: '90k',
      work_remotely: true,
      consent_status: 'Withdrawn',
      languages: ['English', 'Portuguese'],
      years_experience: 7,
    });
  });

  it('writes selects as option ids and sends the complete set', async () => {
    await client.updateCandidate(903, { custom_fields: [{ name_key: 'consent_status', value: 'withdrawn' }] });
    const sent = patches.at(-1)!.body['custom_fields'] as { name_key: string; value: unknown }[];
    expect(Object.fromEntries(sent.map((f) => [f.name_key, f.value]))).toEqual({
      desired_salary: '90k',
      work_remotely: true,
      consent_status: 552,
      languages: [561, 562],
      years_experience: 7,
    });
  });

  it('writes each value in its declared type', async () => {
    await client.updateCandidate(903, {
      custom_fields: [
        { name_key: 'consent_date', value: '2026-10-01T15:30:00Z' },
        { name_key: 'work_remotely', value: 'no' },
        { name_key: 'years_experience', value: '9' },
        { name_key: 'current_salary', value: { amount: 85000, currency_code: 'EUR' } },
        { name_key: 'languages', value: ['Portuguese'] },
      ],
    });
    expect(await held(903)).toMatchObject({
      consent_date: '2026-10-01',
      work_remotely: false,
      years_experience: 9,
      current_salary: { amount: 85000, currency_code: 'EUR' },
      languages: ['Portuguese'],
      consent_status: 'Granted',
    });
  });

  it('clears a field with null inside the complete set and keeps the others', async () => {
    await client.updateCandidate(903, { custom_fields: [{ name_key: 'consent_status', value: null }] });
    const after = await held(903);
    expect(after['consent_status']).toBeUndefined();
    expect(after).toMatchObject({ desired_salary: '90k', languages: ['English', 'Portuguese'] });
  });

  it('refuses a label no option has, before sending anything', async () => {
    await expect(client.updateCandidate(903, { custom_fields: [{ name_key: 'consent_status', value: 'Maybe' }] })).rejects.toBeInstanceOf(CustomFieldValueRejected);
    expect(h.requests('PATCH /v3/candidates/:id')).toBe(0);
  });

  it('writes an application field and keeps the application\'s others', async () => {
    const app = await client.updateApplicationCustomFields(951, [{ name_key: 'ai_screening_rationale', value: 'Matches 4 of 5 must-haves.' }]);
    expect(app.custom_fields?.['ai_screening_rationale']?.value).toBe('Matches 4 of 5 must-haves.');
    expect(app.custom_fields?.['ai_fit_score']?.value).toBe(82);
  });

  it('clears title and company with "" (never null)', async () => {
    const after = await client.updateCandidate(901, { title: null, company: null });
    expect(patches.at(-1)!.body).toMatchObject({ title: '', company: '' });
    expect([after.title, after.company]).toEqual(['', '']);
  });

  it('a create writes custom fields in their types', async () => {
    const created = await client.createCandidate({
      first_name: 'Ada',
      last_name: 'Quell',
      custom_fields: [{ name_key: 'consent_status', value: 'Granted' }, { name_key: 'work_remotely', value: 'true' }],
    });
    expect(created.custom_fields?.['consent_status']?.value).toBe('Granted');
    expect(created.custom_fields?.['work_remotely']?.value).toBe(true);
  });
});

describe('the simulator switches are real (what a naive client would hit)', () => {
  beforeEach(async () => {
    await h.admin('POST', '/reset');
  });

  it('replace: a partial set wipes the fields it leaves out; merge keeps them', async () => {
    await h.admin('PUT', '/settings', { apiContract: { customFields: 'merge' } });
    expect(Object.keys(h.sim.operations.updateCandidate(903, { custom_fields: [{ name_key: 'desired_salary', value: '95k' }] }).custom_fields)).toHaveLength(5);
    await h.admin('PUT', '/settings', { apiContract: { customFields: 'replace' } });
    expect(Object.keys(h.sim.operations.updateCandidate(903, { custom_fields: [{ name_key: 'desired_salary', value: '95k' }] }).custom_fields)).toEqual(['desired_salary']);
  });

  it('ids only: a select label is a 422; a null title is a 422 in the strict variant', async () => {
    await h.admin('PUT', '/settings', { apiContract: STRICT });
    const status = (write: () => unknown) => {
      try {
        write();
        return 200;
      } catch (error) {
        return (error as { status?: number }).status;
      }
    };
    expect(status(() => h.sim.operations.updateCandidate(903, { custom_fields: [{ name_key: 'consent_status', value: 'Withdrawn' }] }))).toBe(422);
    expect(status(() => h.sim.operations.updateCandidate(903, { title: null }))).toBe(422);
    await h.admin('PUT', '/settings', { apiContract: DEFAULT });
    expect(h.sim.operations.updateCandidate(903, { custom_fields: [{ name_key: 'consent_status', value: 'Withdrawn' }], title: null }).title).toBeNull();
  });

  it('definitions are read once per client, not per write', async () => {
    await h.admin('DELETE', '/requests');
    const fresh = h.client();
    await fresh.updateCandidate(903, { custom_fields: [{ name_key: 'desired_salary', value: '96k' }] });
    await fresh.updateCandidate(903, { custom_fields: [{ name_key: 'desired_salary', value: '97k' }] });
    expect(h.requests('GET /v3/custom_fields')).toBe(1);
    expect(h.requests('GET /v3/custom_field_options')).toBe(1);
  });
});

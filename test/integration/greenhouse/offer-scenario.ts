import { readFileSync } from 'node:fs';
import { DEFAULT_SCENARIO_PATH } from '#local/simulators/greenhouse/server';
import type { Harness } from './support.ts';

/**
 * The default tenant plus what offer checks read: offer custom fields (pay as a `currency` value that
 * makes a new version when changed, notes that do not), a salary band on job 801, an opening with a
 * target start date, and two offers with approval chains: 1101 on application 951 (two groups in turn)
 * and 1102 on application 955 (two groups at once). All fictional.
 */
export const OFFER_ON_951 = 1101;
export const OFFER_ON_955 = 1102;

export function offerScenario(): Record<string, unknown> {
  const base = JSON.parse(readFileSync(DEFAULT_SCENARIO_PATH, 'utf8')) as Record<string, Record<string, unknown>[]>;
  const salary = (amount: number) => ({ base_salary: { name: 'Base Salary', type: 'currency', value: { amount, unit: 'EUR' } } });
  return {
    ...base,
    name: 'offers',
    custom_fields: [
      ...base['custom_fields']!,
      { id: 531, name: 'Base Salary', name_key: 'base_salary', field_type: 'offer', value_type: 'currency', trigger_new_version: true },
      { id: 532, name: 'Offer Notes', name_key: 'offer_notes', field_type: 'offer', value_type: 'long_text' },
      { id: 533, name: 'Salary Band', name_key: 'salary_band', field_type: 'job', value_type: 'currency_range' },
    ],
    jobs: base['jobs']!.map((job) =>
      job['id'] === 801 ? { ...job, custom_fields: { salary_band: { name: 'Salary Band', type: 'currency_range', value: { min_value: 100000, max_value: 130000, unit: 'EUR' } } } } : job,
    ),
    openings: base['openings']!.map((o) => (o['id'] === 861 ? { ...o, target_start_on: '2027-01-04' } : o)),
    offers: [
      {
        id: OFFER_ON_951,
        application_id: 951,
        opening_id: 861,
        starts_on: '2027-01-11',
        custom_fields: salary(120000),
        created_at: '2026-11-30T10:00:00Z',
        approval: { approver_groups: [{ user_ids: [302] }, { approvals_required: 1, user_ids: [303, 304] }] },
      },
      {
        id: OFFER_ON_955,
        application_id: 955,
        starts_on: '2027-02-01',
        custom_fields: salary(95000),
        created_at: '2026-11-30T10:00:00Z',
        approval: { sequential: false, approver_groups: [{ user_ids: [302] }, { user_ids: [303] }] },
      },
    ],
  };
}

/** A fresh tenant under `contract`, loaded with offerScenario, request counts at zero. */
export async function offerTenant(h: Harness, contract: Parameters<Harness['freshTenant']>[0] = {}): Promise<void> {
  await h.freshTenant(contract);
  await h.admin('PUT', '/scenario', offerScenario());
  await h.admin('DELETE', '/requests');
}

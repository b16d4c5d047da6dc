import { describe, expect, it } from 'vitest';
import { bandFor, checkOffer, type OfferFacts, type OfferRules } from '#core/ai/offers/checks';
import { offerSettingsSchema, payTransparencySchema } from '#core/ai/settings';

const ENGINEERING = 11;
const DENVER = { id: 41, name: 'Denver, CO' };
const LONDON = { id: 42, name: 'London' };

const rules = (overrides: Record<string, unknown> = {}): OfferRules => ({
  settings: offerSettingsSchema.parse({
    requiredFields: ['employment_type'],
    bands: [
      { departmentIds: [ENGINEERING], currency: 'USD', min: 100_000, max: 150_000 },
      { departmentIds: [ENGINEERING], levels: ['L5'], currency: 'USD', min: 110_000, max: 140_000 },
      { officeIds: [LONDON.id], currency: 'GBP', min: 70_000, max: 90_000 },
    ],
    ...overrides,
  }),
  payTransparency: payTransparencySchema.parse({ rules: [{ match: { officeNames: [', CO'] }, jurisdiction: 'Colorado' }] }).rules,
});

const facts = (overrides: Partial<OfferFacts> = {}): OfferFacts => ({
  pay: { min: 128_000, max: 128_000, currency: 'USD' },
  startsOn: '2027-02-01',
  customFields: { employment_type: { value: 'Full-time' } },
  job: { departmentId: ENGINEERING, officeIds: [DENVER.id], level: 'L5', payRange: { min: 115_000, max: 145_000, currency: 'USD' } },
  offices: [DENVER],
  openingTargetStartOn: '2027-01-15',
  approvalFlow: { id: 7, status: 'pending' },
  today: '2026-12-04',
  ...overrides,
});

const failed = (results: ReturnType<typeof checkOffer>) => results.filter((r) => !r.passed).map((r) => r.check);
const messages = (results: ReturnType<typeof checkOffer>, check: string) => results.find((r) => r.check === check)!.findings.map((f) => f.message);

describe('offer checks', () => {
  it('an in-band offer with everything filled, after the target date, inside the shown range and with a flow passes every check, with its numbers', () => {
    const results = checkOffer(facts(), rules());
    expect(failed(results)).toEqual([]);
    expect(results.map((r) => [r.check, r.detail])).toEqual([
      ['pay-within-band', 'offer USD 128,000 · band USD 110,000–140,000'],
      ['required-fields', 'start date and 1 required field'],
      ['start-date', 'starts 2027-02-01 · opening target 2027-01-15'],
      ['pay-disclosure', 'required in Colorado · the job shows USD 115,000–145,000'],
      ['approval-flow', 'flow 7 (pending)'],
    ]);
  });

  it('says by how much an offer lies outside its band: 150,000 against a max of 140,000 is 7.1 % above', () => {
    const above = checkOffer(facts({ pay: { min: 150_000, max: 150_000, currency: 'USD' } }), rules());
    expect(messages(above, 'pay-within-band')).toEqual(['USD 150,000 is 7.1 % above the maximum of the band (USD 140,000).']);
    // The job shows up to 145,000: the offer is outside that too.
    expect(messages(above, 'pay-disclosure')).toEqual(['USD 150,000 is 3.4 % above the maximum of the range the job shows (USD 145,000).']);
    const below = checkOffer(facts({ pay: { min: 99_000, max: 99_000, currency: 'USD' } }), rules());
    expect(messages(below, 'pay-within-band')).toEqual(['USD 99,000 is 10.0 % below the minimum of the band (USD 110,000).']);
  });

  it('a range offer is checked at both ends', () => {
    const results = checkOffer(facts({ pay: { min: 105_000, max: 145_000, currency: 'USD' } }), rules());
    expect(messages(results, 'pay-within-band')).toHaveLength(2);
  });

  it('takes the most specific band: the L5 band over the department band; without a level, the department band', () => {
    const { bands } = rules().settings;
    expect(bandFor(facts().job, bands)).toMatchObject({ min: 110_000, max: 140_000 });
    expect(bandFor({ ...facts().job, level: 'L6' }, bands)).toMatchObject({ min: 100_000, max: 150_000 });
    expect(bandFor({ departmentId: 99, officeIds: [DENVER.id] }, bands)).toBeUndefined();
  });

  it('fails without a band, without pay, or in another currency, and never guesses', () => {
    expect(messages(checkOffer(facts({ job: { departmentId: 99, officeIds: [DENVER.id] } }), rules()), 'pay-within-band')[0]).toMatch(/^No compensation band covers this job \(department 99, offices 41\)/);
    expect(messages(checkOffer(facts({ pay: undefined }), rules()), 'pay-within-band')).toEqual(["The offer's pay (field `salary`) is empty or not an amount."]);
    expect(messages(checkOffer(facts({ pay: { min: 80_000, max: 80_000, currency: 'GBP' } }), rules()), 'pay-within-band')).toEqual(['The offer is in GBP, the band in USD: not compared.']);
  });

  it('requires the start date and the configured fields', () => {
    const results = checkOffer(facts({ startsOn: null, customFields: { employment_type: { value: '  ' } } }), rules());
    expect(messages(results, 'required-fields')).toEqual(['The start date is missing.', '`employment_type` is empty.']);
    expect(failed(results)).toContain('start-date');
  });

  it('a start date today, in the past or before the opening target fails', () => {
    expect(messages(checkOffer(facts({ startsOn: '2026-12-04' }), rules()), 'start-date')[0]).toBe('The start date 2026-12-04 is not in the future (today is 2026-12-04).');
    expect(messages(checkOffer(facts({ startsOn: '2027-01-10' }), rules()), 'start-date')).toEqual(["The start date 2027-01-10 is before the opening's target start date 2027-01-15."]);
    expect(checkOffer(facts({ openingTargetStartOn: null }), rules()).find((r) => r.check === 'start-date')).toMatchObject({ passed: true, detail: 'starts 2027-02-01 · the opening has no target date' });
  });

  it('pay disclosure: required where a rule covers an office and the job shows no range; nothing required elsewhere', () => {
    const none = checkOffer(facts({ job: { ...facts().job, payRange: undefined } }), rules());
    expect(messages(none, 'pay-disclosure')).toEqual(['Colorado requires the job to show a pay range, and it shows none.']);
    const london = checkOffer(facts({ offices: [LONDON], job: { departmentId: 5, officeIds: [LONDON.id] }, pay: { min: 80_000, max: 80_000, currency: 'GBP' } }), rules());
    expect(london.find((r) => r.check === 'pay-disclosure')).toMatchObject({ passed: true, detail: 'no pay-transparency rule covers this job’s offices' });
    expect(london.find((r) => r.check === 'pay-within-band')).toMatchObject({ passed: true });
  });

  it('an offer without an approval flow fails that check', () => {
    expect(messages(checkOffer(facts({ approvalFlow: undefined }), rules()), 'approval-flow')[0]).toMatch(/^The offer has no approval flow/);
  });
});

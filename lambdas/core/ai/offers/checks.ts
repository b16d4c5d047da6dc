import { checkResult, type CheckResult, type Finding } from '../check-results.ts';
import { requiredJurisdictions, type OfficeView } from '../jd/pay-range.ts';
import type { CompensationBand, OfferSettings, PayRangeRule } from '../settings.ts';

/**
 * The checks an offer passes before anyone is asked to approve it, pure and with their numbers, so
 * the note says what was compared and an approver can check it by hand:
 *
 * - pay within band: the offer's pay against the most specific configured band covering the job
 *   (by how much outside, in percent of the bound it crosses);
 * - required fields: the start date and every `requiredFields` custom field filled in;
 * - start date: in the future, and not before the opening's target start date when it has one;
 * - pay disclosure: where a pay-transparency rule covers one of the job's offices, the job shows a
 *   pay range and the offer lies inside it;
 * - approval flow: the offer has one, so approvals can be requested.
 *
 * A failed check is advice for the people who approve; nothing here changes or sends an offer.
 */
/** Named in the note and the Audit: a change to any rule here is a new version. */
export const OFFER_CHECKS_VERSION = 'offer-checks-v1';

export const OFFER_CHECKS = ['pay-within-band', 'required-fields', 'start-date', 'pay-disclosure', 'approval-flow'] as const;
export type OfferCheckName = (typeof OFFER_CHECKS)[number];
export type OfferCheckResult = CheckResult<OfferCheckName>;

/** An amount of money, or a range (a single amount has `min === max`). */
export interface Pay {
  readonly min: number;
  readonly max: number;
  readonly currency: string | null;
}

export interface OfferFacts {
  /** The offer's pay from `offers.payField`; undefined when empty or not money. */
  readonly pay: Pay | undefined;
  /** `YYYY-MM-DD`, as Greenhouse gives `starts_on`. */
  readonly startsOn: string | null;
  /** The offer's custom fields (`name_key` → value) as Greenhouse gives them. */
  readonly customFields: Readonly<Record<string, { readonly value?: unknown } | null | undefined>>;
  readonly job: {
    readonly departmentId: number | null;
    readonly officeIds: readonly number[];
    /** The job's level (`offers.levelField`), when it has one. */
    readonly level?: string;
    /** The pay range the job shows (`payTransparency.jobPayRangeField`). */
    readonly payRange?: Pay;
  };
  readonly offices: readonly OfficeView[];
  /** The offer's opening's target start date; null: the opening has none; undefined: no opening. */
  readonly openingTargetStartOn?: string | null;
  readonly approvalFlow?: { readonly id: number; readonly status: string | null };
  /** Today, `YYYY-MM-DD`, in UTC. */
  readonly today: string;
}

export interface OfferRules {
  readonly settings: Pick<OfferSettings, 'bands' | 'requiredFields' | 'payField'>;
  readonly payTransparency: readonly PayRangeRule[];
}

const fail = (message: string): Finding => ({ severity: 'fail', message });
const money = (amount: number, currency: string | null) => `${currency ?? ''} ${amount.toLocaleString('en-US', { maximumFractionDigits: 2 })}`.trim();
const range = (pay: Pay) => (pay.min === pay.max ? money(pay.min, pay.currency) : `${money(pay.min, pay.currency)}–${pay.max.toLocaleString('en-US', { maximumFractionDigits: 2 })}`);
const percent = (part: number, of: number) => `${((part / of) * 100).toFixed(1)} %`;
const filled = (value: unknown) => value !== null && value !== undefined && !(typeof value === 'string' && !value.trim()) && !(Array.isArray(value) && !value.length);

/** The band covering the job with the most conditions met; among equals, the first configured. */
export function bandFor(job: OfferFacts['job'], bands: readonly CompensationBand[]): CompensationBand | undefined {
  let best: { band: CompensationBand; specificity: number } | undefined;
  for (const band of bands) {
    const conditions = [
      band.departmentIds.length ? job.departmentId !== null && band.departmentIds.includes(job.departmentId) : undefined,
      band.officeIds.length ? job.officeIds.some((id) => band.officeIds.includes(id)) : undefined,
      band.levels.length ? job.level !== undefined && band.levels.includes(job.level) : undefined,
    ].filter((c) => c !== undefined);
    if (conditions.includes(false)) continue;
    if (!best || conditions.length > best.specificity) best = { band, specificity: conditions.length };
  }
  return best?.band;
}

/** How `pay` sits against `bounds`: nothing when inside, else by how much it crosses a bound. */
function outside(pay: Pay, bounds: Pay, what: string): Finding[] {
  if (pay.currency && bounds.currency && pay.currency !== bounds.currency) return [fail(`The offer is in ${pay.currency}, ${what} in ${bounds.currency}: not compared.`)];
  const findings: Finding[] = [];
  if (pay.min < bounds.min) findings.push(fail(`${money(pay.min, pay.currency)} is ${percent(bounds.min - pay.min, bounds.min)} below the minimum of ${what} (${money(bounds.min, bounds.currency)}).`));
  if (pay.max > bounds.max) findings.push(fail(`${money(pay.max, pay.currency)} is ${percent(pay.max - bounds.max, bounds.max)} above the maximum of ${what} (${money(bounds.max, bounds.currency)}).`));
  return findings;
}

export function checkPayWithinBand(facts: OfferFacts, rules: OfferRules): OfferCheckResult {
  const { pay, job } = facts;
  if (!pay) return checkResult('pay-within-band', [fail(`The offer's pay (field \`${rules.settings.payField}\`) is empty or not an amount.`)]);
  const band = bandFor(job, rules.settings.bands);
  if (!band) {
    const level = job.level !== undefined ? `, level ${job.level}` : '';
    return checkResult('pay-within-band', [fail(`No compensation band covers this job (department ${job.departmentId ?? 'none'}, offices ${job.officeIds.join(', ') || 'none'}${level}): add one under ai.offers.bands.`)], `offer ${range(pay)}`);
  }
  const bounds: Pay = { min: band.min, max: band.max, currency: band.currency };
  return checkResult('pay-within-band', outside(pay, bounds, 'the band'), `offer ${range(pay)} · band ${range(bounds)}`);
}

export function checkRequiredFields(facts: OfferFacts, rules: OfferRules): OfferCheckResult {
  const findings: Finding[] = [];
  if (!facts.startsOn) findings.push(fail('The start date is missing.'));
  for (const key of rules.settings.requiredFields) if (!filled(facts.customFields[key]?.value)) findings.push(fail(`\`${key}\` is empty.`));
  return checkResult('required-fields', findings, `start date and ${rules.settings.requiredFields.length} required field${rules.settings.requiredFields.length === 1 ? '' : 's'}`);
}

export function checkStartDate(facts: OfferFacts): OfferCheckResult {
  const { startsOn, today, openingTargetStartOn } = facts;
  if (!startsOn) return checkResult('start-date', [fail('No start date to check.')]);
  const findings: Finding[] = [];
  if (startsOn <= today) findings.push(fail(`The start date ${startsOn} is not in the future (today is ${today}).`));
  if (openingTargetStartOn && startsOn < openingTargetStartOn) findings.push(fail(`The start date ${startsOn} is before the opening's target start date ${openingTargetStartOn}.`));
  const target = openingTargetStartOn ? ` · opening target ${openingTargetStartOn}` : openingTargetStartOn === null ? ' · the opening has no target date' : '';
  return checkResult('start-date', findings, `starts ${startsOn}${target}`);
}

export function checkPayDisclosure(facts: OfferFacts, rules: OfferRules): OfferCheckResult {
  const requiredIn = requiredJurisdictions(rules.payTransparency, facts.offices);
  if (!requiredIn.length) return checkResult('pay-disclosure', [], 'no pay-transparency rule covers this job’s offices');
  const where = requiredIn.join(', ');
  const shown = facts.job.payRange;
  if (!shown) return checkResult('pay-disclosure', [fail(`${where} requires the job to show a pay range, and it shows none.`)], `required in ${where}`);
  const findings = facts.pay ? outside(facts.pay, shown, 'the range the job shows') : [fail('The offer has no pay to compare with the range the job shows.')];
  return checkResult('pay-disclosure', findings, `required in ${where} · the job shows ${range(shown)}`);
}

export function checkApprovalFlow(facts: OfferFacts): OfferCheckResult {
  const flow = facts.approvalFlow;
  if (!flow) return checkResult('approval-flow', [fail('The offer has no approval flow: approvals cannot be requested until one is set up in Greenhouse.')]);
  return checkResult('approval-flow', [], `flow ${flow.id}${flow.status ? ` (${flow.status})` : ''}`);
}

export function checkOffer(facts: OfferFacts, rules: OfferRules): OfferCheckResult[] {
  return [checkPayWithinBand(facts, rules), checkRequiredFields(facts, rules), checkStartDate(facts), checkPayDisclosure(facts, rules), checkApprovalFlow(facts)];
}

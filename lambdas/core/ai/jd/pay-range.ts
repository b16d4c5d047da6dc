import { moneyRangeOf } from '#core/greenhouse/records';
import type { PayRangeRule } from '../settings.ts';
import type { PayRange } from './draft.ts';

/**
 * The pay range side of a draft: which jurisdictions' rules require one for a job, by its offices,
 * and the range the job's own custom field holds. Nothing here estimates a range: a job without the
 * field filled has none, and the check says so.
 */

export interface OfficeView {
  readonly id: number;
  readonly name: string;
}

/** The jurisdictions of the rules that match one of the job's offices and require a range, each once, in rule order. */
export function requiredJurisdictions(rules: readonly PayRangeRule[], offices: readonly OfficeView[]): string[] {
  const matches = (rule: PayRangeRule) =>
    offices.some(
      (office) =>
        (rule.match.officeIds ?? []).includes(office.id) || (rule.match.officeNames ?? []).some((name) => office.name.toLowerCase().includes(name.toLowerCase())),
    );
  return [...new Set(rules.filter((rule) => rule.required && matches(rule)).map((rule) => rule.jurisdiction))];
}

/**
 * A currency-range custom field's value, in either spelling Greenhouse may use (records.ts
 * moneyRangeOf), or undefined when it is empty, incomplete, without a currency or upside down.
 */
export function payRangeOf(value: unknown): PayRange | undefined {
  const range = moneyRangeOf(value);
  const currency = range?.currency?.trim();
  if (!range || !currency || !/^[A-Za-z]{3}$/.test(currency) || range.min < 0 || range.max < range.min) return undefined;
  return { min: range.min, max: range.max, currency: currency.toUpperCase() };
}

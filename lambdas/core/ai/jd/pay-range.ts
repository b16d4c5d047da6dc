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

const amount = (value: unknown): number | undefined => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value.replace(/[,\s]/g, '')) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};

/**
 * A currency-range custom field's value (`{min_value, max_value, unit}`, Greenhouse's shape; also
 * `{min, max, currency}`), or undefined when it is empty, incomplete or upside down.
 */
export function payRangeOf(value: unknown): PayRange | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  const min = amount(v['min_value'] ?? v['min']);
  const max = amount(v['max_value'] ?? v['max']);
  const currency = v['unit'] ?? v['currency'];
  if (min === undefined || max === undefined || max < min || typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency.trim())) return undefined;
  return { min, max, currency: currency.trim().toUpperCase() };
}

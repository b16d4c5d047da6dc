/**
 * The impact-ratio report of issue 19, computed the way NYC Local Law 144's bias-audit rules (6 RCNY
 * §5-301) compute it for a tool that classifies: per category of sex, of race/ethnicity and of their
 * intersection, the selection rate and its ratio to the most selected category's rate, with the
 * four-fifths rule (< 0.80) as the flag. Pure: the caller joins the screening outcomes with the
 * candidates' voluntary self-identification in memory; nothing here is stored, logged or sent anywhere.
 */

/** The threshold the four-fifths rule draws. */
export const FOUR_FIFTHS = 0.8;
/** Categories under this share of the screened applications are left out of the ratios (LL144 allows it). */
export const SMALL_CATEGORY_SHARE = 0.02;
/** A candidate who declined, skipped the question or left no answer: reported, never imputed, never in the ratios. */
export const UNKNOWN = 'Declined or unknown';

/** One screened application: selected (at or above the threshold, so not tagged needs-review) or not. */
export interface ScreeningOutcomeRow {
  readonly applicationId: number;
  readonly selected: boolean;
}

/** An application's self-identification, as answered; undefined or null = not answered. */
export interface SelfIdentification {
  readonly sex?: string | null | undefined;
  readonly raceEthnicity?: string | null | undefined;
}

export type CategoryStatus = 'included' | 'excluded-small' | 'unknown';

export interface CategoryRow {
  readonly category: string;
  readonly applicants: number;
  readonly selected: number;
  /** selected / applicants. */
  readonly selectionRate: number;
  /** This rate over the highest rate of the included categories; null for excluded and unknown ones. */
  readonly impactRatio: number | null;
  /** Under the four-fifths rule. */
  readonly flagged: boolean;
  readonly status: CategoryStatus;
}

export interface DimensionReport {
  readonly dimension: 'sex' | 'race/ethnicity' | 'sex × race/ethnicity';
  /** The most selected included category, against which the ratios are taken. */
  readonly reference: string | null;
  readonly rows: readonly CategoryRow[];
}

export interface ImpactRatioReport {
  readonly screened: number;
  readonly selected: number;
  readonly dimensions: readonly DimensionReport[];
  /** `dimension: category` of every flagged row. */
  readonly flagged: readonly string[];
  readonly method: readonly string[];
}

/** The method, written out in every report. */
export function methodText(threshold?: number): string[] {
  const selected = threshold === undefined ? 'screened at or above the screening threshold' : `screened at or above the screening threshold (${threshold})`;
  return [
    `Population: each application screened in the window, once, by its latest screening in the Audit trail. Selected: ${selected}, i.e. not tagged needs-review.`,
    'Categories: sex and race/ethnicity as the candidate self-identified on the voluntary EEOC questions, and each sex × race/ethnicity intersection.',
    `"${UNKNOWN}": a candidate who declined, skipped the question or never answered; counted and reported, never imputed, and not part of the ratios.`,
    'Selection rate = selected / applicants in the category.',
    'Impact ratio = the category’s selection rate / the selection rate of the most selected category of the same dimension.',
    `Categories with fewer than ${SMALL_CATEGORY_SHARE * 100} % of the screened applications are left out of the ratios (listed as excluded, with their counts), as NYC Local Law 144's rules allow.`,
    `Flag: an impact ratio under ${FOUR_FIFTHS.toFixed(2)} (the four-fifths rule). A flag calls for a look at the screening, not a conclusion.`,
    'Computed in memory by the CLI from the Audit trail and Greenhouse; the demographic answers are never stored, logged or sent to a model.',
  ];
}

const known = (value: string | null | undefined): string => {
  const trimmed = value?.trim();
  return trimmed && !/^decline/i.test(trimmed) ? trimmed : UNKNOWN;
};

/**
 * Joins outcomes with self-identification by application id (an application without an answer is
 * unknown) and computes the three dimensions.
 */
export function impactRatios(outcomes: readonly ScreeningOutcomeRow[], answers: ReadonlyMap<number, SelfIdentification>, options: { threshold?: number } = {}): ImpactRatioReport {
  const joined = outcomes.map((o) => {
    const answer = answers.get(o.applicationId);
    const sex = known(answer?.sex);
    const race = known(answer?.raceEthnicity);
    return { selected: o.selected, sex, race, both: sex === UNKNOWN || race === UNKNOWN ? UNKNOWN : `${sex} × ${race}` };
  });
  const screened = joined.length;
  const dimensions: DimensionReport[] = [
    dimension('sex', joined.map((j) => ({ category: j.sex, selected: j.selected })), screened),
    dimension('race/ethnicity', joined.map((j) => ({ category: j.race, selected: j.selected })), screened),
    dimension('sex × race/ethnicity', joined.map((j) => ({ category: j.both, selected: j.selected })), screened),
  ];
  return {
    screened,
    selected: joined.filter((j) => j.selected).length,
    dimensions,
    flagged: dimensions.flatMap((d) => d.rows.filter((r) => r.flagged).map((r) => `${d.dimension}: ${r.category}`)),
    method: methodText(options.threshold),
  };
}

function dimension(name: DimensionReport['dimension'], rows: readonly { category: string; selected: boolean }[], screened: number): DimensionReport {
  const counts = new Map<string, { applicants: number; selected: number }>();
  for (const row of rows) {
    const count = counts.get(row.category) ?? { applicants: 0, selected: 0 };
    count.applicants += 1;
    if (row.selected) count.selected += 1;
    counts.set(row.category, count);
  }
  const statusOf = (category: string, applicants: number): CategoryStatus =>
    category === UNKNOWN ? 'unknown' : applicants < SMALL_CATEGORY_SHARE * screened ? 'excluded-small' : 'included';
  const categories = [...counts].map(([category, c]) => ({ category, ...c, rate: c.selected / c.applicants, status: statusOf(category, c.applicants) }));
  const included = categories.filter((c) => c.status === 'included');
  const best = included.reduce<(typeof included)[number] | undefined>((top, c) => (top === undefined || c.rate > top.rate ? c : top), undefined);
  const rowsOut = categories
    .map((c): CategoryRow => {
      const ratio = c.status === 'included' && best && best.rate > 0 ? c.rate / best.rate : null;
      return { category: c.category, applicants: c.applicants, selected: c.selected, selectionRate: c.rate, impactRatio: ratio, flagged: ratio !== null && ratio < FOUR_FIFTHS, status: c.status };
    })
    // Included first, most applicants first; then the excluded; unknown last.
    .sort((a, b) => order(a.status) - order(b.status) || b.applicants - a.applicants || a.category.localeCompare(b.category));
  return { dimension: name, reference: best && best.rate > 0 ? best.category : null, rows: rowsOut };
}

const order = (status: CategoryStatus) => ({ included: 0, 'excluded-small': 1, unknown: 2 })[status];

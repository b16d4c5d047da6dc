import { keywordsOf } from '../screening/offline.ts';
import { briefSources } from './brief.ts';
import { DRAFT_SECTIONS, SECTION_TITLES, draftWords, wordCount, type ClaimSource, type DraftSection, type JobDescriptionDraft } from './draft.ts';
import type { InclusiveLanguage, JobBrief } from './ports.ts';
import { checkResult, checksSummary, type CheckResult as GenericCheckResult, type Finding } from '../check-results.ts';

/**
 * The checks every draft passes through before anything is written, pure and explainable: each gives
 * pass or fail and findings a reviewer can act on, and all of them go into the review note.
 *
 * - inclusive language: alex (retext-equality and retext-profanities) on every line, plus a few job-ad
 *   words alex does not know (JOB_AD_TERMS);
 * - required sections: summary, responsibilities, must-have requirements and benefits are not empty;
 * - grounding: each claim's keywords (the screening matcher's keywordsOf: no stop words or job-ad
 *   filler) are found, at least half of them, in the text it names as its source, else in any of the
 *   brief's texts (a warning: wrong source named), else the claim is ungrounded. A benefit counts only
 *   when the company corpus states it: a past post's perks may be out of date, and no benefit may be invented;
 * - length: the whole draft within `maxWords`, each line within MAX_LINE_WORDS;
 * - EEO statement: present and exactly the configured one;
 * - pay range: present when an office's jurisdiction requires one.
 */
export const CHECKS = ['required-sections', 'inclusive-language', 'grounding', 'length', 'eeo-statement', 'pay-range'] as const;
export type CheckName = (typeof CHECKS)[number];

export type CheckResult = GenericCheckResult<CheckName>;
export type { Finding };

export interface CheckContext {
  readonly brief: JobBrief;
  /** The configured EEO statement; undefined when none is configured. */
  readonly eeoStatement: string | undefined;
  /** Jurisdictions whose rules require a pay range for this job's offices (pay-range.ts). */
  readonly payRangeRequiredIn: readonly string[];
  readonly maxWords: number;
  /** alex, by its port (lambdas/adapters/ai/inclusive-language.ts). */
  readonly inclusiveLanguage: InclusiveLanguage;
}

export const MAX_LINE_WORDS = 60;
const REQUIRED_SECTIONS: readonly DraftSection[] = ['summary', 'responsibilities', 'mustHave', 'benefits'];

/**
 * Job-ad words alex has no rule for: coded for young men or for age, or excluding by origin. Each with
 * the plainer words to use instead.
 */
export const JOB_AD_TERMS: Readonly<Record<string, string>> = {
  rockstar: 'skilled, experienced',
  'rock star': 'skilled, experienced',
  ninja: 'expert',
  guru: 'expert',
  superstar: 'high-performing',
  'digital native': 'comfortable with digital tools',
  'young and dynamic': 'motivated',
  'recent graduate': 'early-career',
  'native english speaker': 'fluent in English',
  'native speaker': 'fluent',
};
const JOB_AD_PATTERN = new RegExp(`\\b(?:${Object.keys(JOB_AD_TERMS).join('|')})s?\\b`, 'gi');

const result = (check: CheckName, findings: readonly Finding[]): CheckResult => checkResult(check, findings);

/**
 * Each line the drafter wrote, with where it stands (`Must have 2`), the title first. The EEO statement
 * is not among them: it is the company's configured text (alex reads "sexual orientation" as profane).
 */
function lines(draft: JobDescriptionDraft): { where: string; text: string }[] {
  return [
    { where: 'Title', text: draft.title },
    ...DRAFT_SECTIONS.flatMap((section) => draft[section].map((claim, i) => ({ where: `${SECTION_TITLES[section]} ${i + 1}`, text: claim.text }))),
  ];
}

export function checkRequiredSections(draft: JobDescriptionDraft): CheckResult {
  return result(
    'required-sections',
    REQUIRED_SECTIONS.filter((s) => !draft[s].some((c) => c.text.trim())).map((s) => ({ severity: 'fail', message: `${SECTION_TITLES[s]} is missing` })),
  );
}

export function checkInclusiveLanguage(draft: JobDescriptionDraft, inclusiveLanguage: InclusiveLanguage): CheckResult {
  const findings: Finding[] = [];
  for (const line of lines(draft)) {
    for (const message of inclusiveLanguage(line.text)) {
      findings.push({ severity: 'fail', message: `${line.where}: ${message.reason} (${message.rule})` });
    }
    for (const m of line.text.matchAll(JOB_AD_PATTERN)) {
      const term = m[0].toLowerCase().replace(/s$/, '');
      findings.push({ severity: 'fail', message: `${line.where}: \`${m[0]}\` is job-ad jargon that puts people off, use \`${JOB_AD_TERMS[term] ?? JOB_AD_TERMS[m[0].toLowerCase()]}\` instead (job-ad terms)` });
    }
  }
  return result('inclusive-language', findings);
}

/** A word with a plural `s` taken off, so `benefits` finds `benefit`. */
const stem = (word: string) => (word.length > 4 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word);
const keywordSet = (text: string) => new Set(keywordsOf(text).map(stem));

/** Keywords of the claim (as written) whose stems are not in `text`, or undefined when at least half of them are there. */
function missingFrom(keywords: readonly string[], text: Set<string>): string[] | undefined {
  const missing = keywords.filter((k) => !text.has(stem(k)));
  return missing.length * 2 <= keywords.length ? undefined : missing;
}

export function checkGrounding(draft: JobDescriptionDraft, brief: JobBrief): CheckResult {
  const sources = new Map([...briefSources(brief)].map(([id, text]) => [id, keywordSet(text)] as const));
  const corpus = [...sources].filter(([id]) => id.startsWith('corpus:'));
  const findings: Finding[] = [];
  for (const section of DRAFT_SECTIONS) {
    const pool: (readonly [ClaimSource, Set<string>])[] = section === 'benefits' ? corpus : [...sources];
    draft[section].forEach((claim, i) => {
      const where = `${SECTION_TITLES[section]} ${i + 1}`;
      const keywords = keywordsOf(claim.text);
      if (!keywords.length) return;
      const named = sources.get(claim.source);
      const namedMissing = named ? missingFrom(keywords, named) : keywords;
      if (!namedMissing && pool.some(([id]) => id === claim.source)) return;
      const elsewhere = pool.find(([, words]) => !missingFrom(keywords, words));
      if (elsewhere) {
        findings.push({ severity: 'warn', message: `${where}: found in ${elsewhere[0]}, not in its named source ${claim.source}` });
        return;
      }
      const what = section === 'benefits' ? 'benefit not stated in the company corpus' : 'not found in the job, its notes, the similar posts or the corpus';
      findings.push({ severity: 'fail', message: `${where}: ungrounded, ${what}: "${claim.text}" (missing: ${(namedMissing ?? keywords).slice(0, 6).join(', ')})` });
    });
  }
  return result('grounding', findings);
}

export function checkLength(draft: JobDescriptionDraft, maxWords: number): CheckResult {
  const findings: Finding[] = [];
  const words = draftWords(draft);
  if (words > maxWords) findings.push({ severity: 'fail', message: `${words} words, more than the ${maxWords} allowed` });
  for (const line of lines(draft)) {
    const n = wordCount(line.text);
    if (n > MAX_LINE_WORDS) findings.push({ severity: 'fail', message: `${line.where}: ${n} words, more than ${MAX_LINE_WORDS} in one line` });
  }
  return result('length', findings);
}

export function checkEeoStatement(draft: JobDescriptionDraft, configured: string | undefined): CheckResult {
  if (configured === undefined) return result('eeo-statement', [{ severity: 'fail', message: 'No EEO statement is configured (ai.jobDescriptions.eeoStatement): add the company\'s own; none was invented' }]);
  if (!draft.eeoStatement) return result('eeo-statement', [{ severity: 'fail', message: 'The EEO statement is missing from the draft' }]);
  if (draft.eeoStatement !== configured) return result('eeo-statement', [{ severity: 'fail', message: 'The EEO statement differs from the configured one' }]);
  return result('eeo-statement', []);
}

export function checkPayRange(draft: JobDescriptionDraft, requiredIn: readonly string[]): CheckResult {
  if (!requiredIn.length || draft.payRange) return result('pay-range', []);
  return result('pay-range', [{ severity: 'fail', message: `Pay range required (${requiredIn.join(', ')}) but unknown: fill in the job's pay range field; none was estimated` }]);
}

export function checkDraft(draft: JobDescriptionDraft, context: CheckContext): CheckResult[] {
  return [
    checkRequiredSections(draft),
    checkInclusiveLanguage(draft, context.inclusiveLanguage),
    checkGrounding(draft, context.brief),
    checkLength(draft, context.maxWords),
    checkEeoStatement(draft, context.eeoStatement),
    checkPayRange(draft, context.payRangeRequiredIn),
  ];
}

export { checksSummary };

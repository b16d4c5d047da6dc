import type { Candidate } from '#core/greenhouse/records';

/**
 * What leaves the resume before any provider sees it (docs/ai-governance.md, "What is sent to the
 * model"): contact details (emails, phone numbers), links, and every line that states a protected
 * attribute or a proxy for one (age or date of birth, gender, nationality or citizenship, marital
 * status, religion, a photo). The screening judges skills and experience; nothing else should be able
 * to move a score.
 *
 * Written by hand: no maintained library redacts resume text for this purpose, and the rules are
 * a few regular expressions that a reviewer can read in full here.
 */

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const URL_LIKE = /\b(?:https?:\/\/|www\.)\S+|\b[\w-]+\.(?:com|net|org|io|dev|me|co|uk|de)\/\S*/gi;
// A run of 7+ digits with the separators phone numbers use, optionally with a leading +.
const PHONE = /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d(?:[\s.-]?\d){6,}/g;
// "2015-2019" also matches PHONE; a span of years is experience, not a phone number.
const YEAR_SPAN = /^(?:19|20)\d{2}\s*[-.]\s*(?:19|20)\d{2}$/;

/** Lines that state a protected attribute or its proxy. Matched case-insensitively, whole line dropped. */
// Words that also name skills or employers ("single sign-on", "race conditions", a job at Visa, a
// children's hospital, care for senior citizens) are left out or narrowed on purpose: a dropped
// experience line would cost a candidate more than the rare proxy those words carry. What still gets
// through (graduation years, memberships, a career break described in other words) is measured by
// `npm run eval` and named in docs/ai-governance.md.
const PROXY_LINE =
  /\b(?:date of birth|d\.o\.b|dob|born(?: on| in)?|age[d:]?|years old|gender|sex|male|female|pronouns?|(?:she|he|they)\/(?:her|him|them|hers|his|theirs)|nationality|citizenship|(?<!senior )citizen|national of|visa(?: status| sponsorship| holder| type)?:|visa (?:status|sponsorship|holder|required)|(?:requires?|needs?|requiring) (?:visa |work )?(?:visa|sponsorship)|sponsorship (?:required|needed)|work (?:authori[sz]ation|permit)|right to work|marital status|married|divorced|widowed|maternity|paternity|(?:mother|father|parent) of|religion|religious|photo(?:graph)?|ethnicity|ethnic origin|racial)\b/i;

export type RemovedKind = 'email' | 'phone' | 'link' | 'proxy-line' | 'name';

export interface MinimisedText {
  readonly text: string;
  /** How much of each kind was taken out (for the audit record; never the values). */
  readonly removed: Readonly<Record<RemovedKind, number>>;
}

export interface MinimiseOptions {
  /**
   * The candidate's names as Greenhouse holds them (first, last, preferred). A name proxies gender and
   * ethnicity, so each one, as a whole word, becomes `[name]`.
   */
  readonly names?: readonly string[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Any of `alternatives` as a whole word: not inside a longer word or number, in any script. */
export function wholeWord(alternatives: readonly string[], flags: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, flags);
}

export function minimiseResume(text: string, options: MinimiseOptions = {}): MinimisedText {
  const removed: Record<RemovedKind, number> = { email: 0, phone: 0, link: 0, 'proxy-line': 0, name: 0 };
  const names = [...new Set((options.names ?? []).flatMap((n) => n.trim().split(/\s+/)).filter((n) => n.length >= 2))];
  const NAME = names.length ? wholeWord(names, 'giu') : undefined;
  const lines: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (PROXY_LINE.test(line)) {
      removed['proxy-line']++;
      continue;
    }
    let kept = line.replace(EMAIL, () => (removed.email++, '[email]'));
    kept = kept.replace(URL_LIKE, () => (removed.link++, '[link]'));
    kept = kept.replace(PHONE, (match) => (YEAR_SPAN.test(match) ? match : (removed.phone++, '[phone]')));
    if (NAME) kept = kept.replace(NAME, () => (removed.name++, '[name]'));
    lines.push(kept);
  }
  return { text: lines.join('\n').replace(/\n{3,}/g, '\n\n').trim(), removed };
}

/** The candidate's names as Greenhouse holds them, for minimisation to take out. */
export function candidateNames(candidate: Candidate | undefined): string[] {
  return [candidate?.first_name, candidate?.last_name, candidate?.preferred_name].filter((n): n is string => !!n);
}

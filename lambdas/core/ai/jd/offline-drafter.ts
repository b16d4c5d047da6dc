import { sourceOf, wordCount, type Claim, type DraftContent, type DraftSection } from './draft.ts';
import type { JobBrief, JobDescriptionDrafter, SimilarPost } from './ports.ts';

/**
 * The offline drafter: deterministic, for the local stack, the tests and `npm run eval -- jd`. It is
 * not a language model and writes nothing of its own: it copies and arranges the brief's lines, so
 * whatever wording the similar posts or notes have (good or bad) passes through, and the checks judge it.
 *
 * - summary: the job's own facts, one line each (role, team, location, openings, custom fields), then
 *   the first sentence of a corpus document about the company's values or mission;
 * - responsibilities, must-have and nice-to-have: list items of the job's notes (nice-to-have when the
 *   line says so), then the items under the matching headings of the similar posts, best post first;
 * - benefits: the list items of corpus documents about benefits, never a post's (they may be stale).
 */
export const OFFLINE_DRAFTER_PROVIDER = 'offline';
export const OFFLINE_DRAFTER_MODEL = 'jd-assembler-v1';

const LIMITS: Readonly<Record<Exclude<DraftSection, 'summary'>, number>> = { responsibilities: 8, mustHave: 8, niceToHave: 5, benefits: 8 };

/** What a post's heading introduces; benefits and "about us" are read from the corpus instead. */
function headingKind(heading: string): DraftSection | undefined {
  if (/nice|bonus|preferred|plus|desirable/i.test(heading)) return 'niceToHave';
  if (/benefit|perk|offer|compensation|about|overview|who we are/i.test(heading)) return undefined;
  if (/requir|qualif|must|bring|you have|who you are|skills|experience/i.test(heading)) return 'mustHave';
  if (/responsib|you.?ll do|you will|the role|day|impact/i.test(heading)) return 'responsibilities';
  return undefined;
}

const NICE_LINE = /nice to have|bonus|a plus|preferred/i;
const BULLET = /^\s*(?:[-*•]|\d+[.)])\s+(.*\S)\s*$/;

/** Markdown emphasis and links as plain text. */
const plain = (text: string) => text.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*_`]+/g, '').trim();

function bullets(text: string): string[] {
  return text.split(/\r?\n/).flatMap((line) => {
    const m = BULLET.exec(line);
    return m ? [plain(m[1]!)] : [];
  });
}

function firstSentence(text: string): string | undefined {
  const paragraph = text.split(/\r?\n\s*\r?\n/).map((p) => p.trim()).find((p) => p && !p.startsWith('#') && !BULLET.test(p));
  return paragraph ? plain(paragraph.replace(/\s+/g, ' ')).split(/(?<=[.!?])\s+/)[0] : undefined;
}

function postItems(posts: readonly SimilarPost[], kind: DraftSection): Claim[] {
  return posts.flatMap((post) => post.sections.filter((s) => headingKind(s.heading) === kind).flatMap((s) => s.items.map((text) => ({ text, source: sourceOf.post(post.id) }))));
}

/** The first `limit` claims, each text once (case-insensitive), within the remaining word budget. */
function take(claims: readonly Claim[], limit: number, budget: { words: number }): Claim[] {
  const seen = new Set<string>();
  const kept: Claim[] = [];
  for (const claim of claims) {
    const key = claim.text.toLowerCase();
    const words = wordCount(claim.text);
    if (seen.has(key) || kept.length >= limit || words > budget.words) continue;
    seen.add(key);
    budget.words -= words;
    kept.push(claim);
  }
  return kept;
}

export function draftOffline(brief: JobBrief): DraftContent {
  const summary: Claim[] = [{ text: `Role: ${brief.name}.`, source: sourceOf.job('name') }];
  if (brief.department) summary.push({ text: `Team: ${brief.department}.`, source: sourceOf.job('department') });
  if (brief.offices.length) summary.push({ text: `Location: ${brief.offices.join('; ')}.`, source: sourceOf.job('offices') });
  if (brief.openings) summary.push({ text: `Openings: ${brief.openings}.`, source: sourceOf.job('openings') });
  for (const f of brief.customFields) summary.push({ text: `${f.name}: ${f.value}.`, source: sourceOf.jobField(f.nameKey) });
  const about = brief.corpus.find((d) => /value|mission|about/i.test(d.name));
  const aboutLine = about && firstSentence(about.text);
  if (about && aboutLine) summary.push({ text: aboutLine, source: sourceOf.corpus(about.name) });

  const noteLines = brief.notes.flatMap((n) => bullets(n.text).map((text) => ({ text, source: sourceOf.jobNote(n.id) })));
  const benefits = brief.corpus
    .filter((d) => /benefit|perk/i.test(d.name))
    .flatMap((d) => bullets(d.text).map((text) => ({ text, source: sourceOf.corpus(d.name) })));

  // The summary's words first; the sections share what is left, in the order a reader needs them.
  const budget = { words: brief.maxWords - summary.reduce((n, c) => n + wordCount(c.text), 0) };
  const mustHave = take([...noteLines.filter((l) => !NICE_LINE.test(l.text)), ...postItems(brief.similarPosts, 'mustHave')], LIMITS.mustHave, budget);
  const responsibilities = take(postItems(brief.similarPosts, 'responsibilities'), LIMITS.responsibilities, budget);
  const benefitsKept = take(benefits, LIMITS.benefits, budget);
  const niceToHave = take([...noteLines.filter((l) => NICE_LINE.test(l.text)), ...postItems(brief.similarPosts, 'niceToHave')], LIMITS.niceToHave, budget);
  return { summary, responsibilities, mustHave, niceToHave, benefits: benefitsKept };
}

export const offlineJobDescriptionDrafter: JobDescriptionDrafter = {
  provenance: { provider: OFFLINE_DRAFTER_PROVIDER, model: OFFLINE_DRAFTER_MODEL, promptVersion: 'jd-offline-v1', isLanguageModel: false },
  draft: async (brief) => ({ draft: draftOffline(brief), usage: { inputTokens: 0, outputTokens: 0 }, latencyMs: 0 }),
};

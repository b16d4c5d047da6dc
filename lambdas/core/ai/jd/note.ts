import { AI_NOTE_PREFIX } from '../ai-notes.ts';
import type { CheckResult } from './checks.ts';
import { DRAFT_SECTIONS, SECTION_TITLES, formatPayRange, type ClaimSource, type JobDescriptionDraft } from './draft.ts';
import type { DrafterProvenance } from './ports.ts';

/**
 * The private job note a draft is reviewed in: the draft as readable text, each line with its source,
 * then every check with pass or fail and its findings, what happened to the job's posts, and at the
 * foot which drafter wrote it and whether it is a language model. The first line starts like the other
 * AI notes and says it is a draft for review: nothing is published.
 */
export const JD_NOTE_PREFIX = AI_NOTE_PREFIX.jobDescription;

export interface JobPostsWritten {
  /** Posts (not live) whose content now holds the draft. */
  readonly patched: readonly number[];
  /** Live posts (or of unknown state), never changed. */
  readonly live: readonly number[];
  /** Posts not live that were not changed because a check failed or writing posts is off. */
  readonly untouched: readonly number[];
  readonly writeJobPost: boolean;
}

export interface JobDescriptionNoteContext {
  readonly checks: readonly CheckResult[];
  readonly provenance: DrafterProvenance;
  /** Jurisdictions that require a pay range for this job's offices. */
  readonly payRangeRequiredIn: readonly string[];
  readonly posts: JobPostsWritten;
}

const CHECK_TITLES: Readonly<Record<CheckResult['check'], string>> = {
  'required-sections': 'Required sections',
  'inclusive-language': 'Inclusive language',
  grounding: 'Grounded in the job, similar posts or company texts',
  length: 'Length',
  'eeo-statement': 'EEO statement',
  'pay-range': 'Pay range',
};

/** `job: name` → `job name`, `post:12` → `post 12`, `corpus:benefits.md` → `corpus benefits.md`. */
const sourceLabel = (source: ClaimSource) => source.replace(/^job:field:/, 'job field ').replace(/^([^:]+):/, '$1 ');

function postsLine(posts: JobPostsWritten): string[] {
  const lines: string[] = [];
  if (posts.patched.length) lines.push(`Job post${posts.patched.length === 1 ? '' : 's'} ${posts.patched.join(', ')} (not live) now hold${posts.patched.length === 1 ? 's' : ''} this draft; publishing is up to you.`);
  if (posts.live.length) lines.push(`Job post${posts.live.length === 1 ? '' : 's'} ${posts.live.join(', ')} ${posts.live.length === 1 ? 'is' : 'are'} live (or not known to be unpublished): never changed.`);
  if (posts.untouched.length) {
    lines.push(
      posts.writeJobPost
        ? `Job post${posts.untouched.length === 1 ? '' : 's'} ${posts.untouched.join(', ')} left as ${posts.untouched.length === 1 ? 'it was' : 'they were'}: a check failed.`
        : 'Job posts are not written (ai.jobDescriptions.writeJobPost is off): copy what you keep from this note.',
    );
  }
  return lines;
}

export function jobDescriptionNote(draft: JobDescriptionDraft, context: JobDescriptionNoteContext): string {
  const passed = context.checks.filter((c) => c.passed).length;
  const lines = [
    `${JD_NOTE_PREFIX}${draft.title} · draft for review, not published · checks ${passed} of ${context.checks.length} passed`,
    '',
    'A first draft assembled from this job, its notes, similar past posts and the company\'s own texts; each line names where it came from. Edit freely: nothing has been published.',
  ];
  for (const section of DRAFT_SECTIONS) {
    lines.push('', SECTION_TITLES[section]);
    if (!draft[section].length) lines.push('   (none)');
    for (const claim of draft[section]) lines.push(`   • ${claim.text} [${sourceLabel(claim.source)}]`);
  }
  lines.push('', 'Pay range');
  if (draft.payRange) lines.push(`   ${formatPayRange(draft.payRange)} [job field]`);
  else if (context.payRangeRequiredIn.length) lines.push(`   Required (${context.payRangeRequiredIn.join(', ')}) but unknown: none was estimated.`);
  else lines.push('   (none on the job; no rule requires one for its offices)');
  lines.push('', 'EEO statement', `   ${draft.eeoStatement ?? 'Missing: no EEO statement is configured, and none was invented.'}`);

  lines.push('', 'Checks');
  for (const check of context.checks) {
    lines.push(`${check.passed ? '✓' : '✗'} ${CHECK_TITLES[check.check]}${check.findings.length ? `: ${check.findings.length} finding${check.findings.length === 1 ? '' : 's'}` : ''}`);
    for (const f of check.findings) lines.push(`   ${f.severity === 'fail' ? '•' : '◦'} ${f.message}`);
  }
  const posts = postsLine(context.posts);
  if (posts.length) lines.push('', ...posts);

  const { provider, model, promptVersion, isLanguageModel } = context.provenance;
  lines.push(
    '',
    `Drafter ${provider} · model ${model}${isLanguageModel ? '' : ' (not a language model: copies and arranges the sources\' own lines)'} · ${promptVersion}. Names, contact details and protected-attribute lines were removed from the job's notes before drafting.`,
  );
  return lines.join('\n');
}

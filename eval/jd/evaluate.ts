import { checkDraft, type CheckResult } from '#core/ai/jd/checks';
import { DRAFT_SECTIONS, draftWords, type DraftSection, type JobDescriptionDraft } from '#core/ai/jd/draft';
import type { DrafterProvenance, JobDescriptionDrafter } from '#core/ai/jd/ports';
import { jobBriefOf, type JdDataset } from './dataset.ts';
import { alexInclusiveLanguage } from '#adapters/ai/inclusive-language';

/**
 * Drafts every brief of the set with one drafter, as the workflow would (the EEO statement and pay
 * range copied in, the budget what they leave), runs the same checks, and reports per draft: which
 * sections have lines, the inclusive-language findings, the ungrounded claims, the words and which
 * checks failed.
 */
export interface JdDraftReport {
  readonly id: string;
  readonly note: string;
  readonly sectionsPresent: readonly DraftSection[];
  readonly inclusiveFindings: readonly string[];
  readonly ungrounded: readonly string[];
  readonly words: number;
  readonly maxWords: number;
  readonly failedChecks: readonly CheckResult['check'][];
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly latencyMs: number;
  readonly draft: JobDescriptionDraft;
}

export interface JdReport {
  readonly provenance: DrafterProvenance;
  readonly drafts: readonly JdDraftReport[];
}

export async function evaluateJd(dataset: JdDataset, drafter: JobDescriptionDrafter): Promise<JdReport> {
  const drafts: JdDraftReport[] = [];
  for (const [i, brief] of dataset.briefs.entries()) {
    const maxWords = brief.maxWords ?? dataset.maxWords;
    const eeoStatement = brief.eeoStatement === undefined ? dataset.eeoStatement : brief.eeoStatement;
    const title = brief.job.name;
    const fixed = draftWords({ title, summary: [], responsibilities: [], mustHave: [], niceToHave: [], benefits: [], eeoStatement, payRange: brief.payRange });
    const jobBrief = jobBriefOf(brief, dataset, Math.max(0, maxWords - fixed), 1000 + i);
    const answer = await drafter.draft(jobBrief);
    const draft: JobDescriptionDraft = { title, ...answer.draft, eeoStatement, payRange: brief.payRange };
    const checks = checkDraft(draft, { brief: jobBrief, eeoStatement: eeoStatement ?? undefined, payRangeRequiredIn: brief.payRangeRequiredIn, maxWords, inclusiveLanguage: alexInclusiveLanguage });
    const findings = (check: CheckResult['check']) => checks.find((c) => c.check === check)!.findings;
    drafts.push({
      id: brief.id,
      note: brief.note,
      sectionsPresent: DRAFT_SECTIONS.filter((s) => draft[s].length > 0),
      inclusiveFindings: findings('inclusive-language').map((f) => f.message),
      ungrounded: findings('grounding').filter((f) => f.severity === 'fail').map((f) => f.message),
      words: draftWords(draft),
      maxWords,
      failedChecks: checks.filter((c) => !c.passed).map((c) => c.check),
      inputTokens: answer.usage.inputTokens,
      outputTokens: answer.usage.outputTokens,
      latencyMs: answer.latencyMs,
      draft,
    });
  }
  return { provenance: drafter.provenance, drafts };
}

export function formatJdReport(report: JdReport): string {
  const { provider, model, promptVersion, isLanguageModel } = report.provenance;
  const lines = [`Job-description drafts · drafter ${provider}/${model} (${promptVersion})${isLanguageModel ? '' : ' · not a language model'}`, ''];
  lines.push(`${'brief'.padEnd(24)} ${'sections'.padEnd(9)} ${'inclusive'.padEnd(9)} ${'ungrounded'.padEnd(10)} ${'words'.padEnd(9)} failed checks`);
  for (const d of report.drafts) {
    lines.push(
      `${d.id.padEnd(24)} ${`${d.sectionsPresent.length}/${DRAFT_SECTIONS.length}`.padEnd(9)} ${String(d.inclusiveFindings.length).padEnd(9)} ${String(d.ungrounded.length).padEnd(10)} ${`${d.words}/${d.maxWords}`.padEnd(9)} ${d.failedChecks.join(', ') || '-'}`,
    );
  }
  for (const d of report.drafts) {
    const missing = DRAFT_SECTIONS.filter((s) => !d.sectionsPresent.includes(s));
    lines.push('', `${d.id}: ${d.note}`);
    if (missing.length) lines.push(`  sections without lines: ${missing.join(', ')}`);
    for (const f of d.inclusiveFindings) lines.push(`  inclusive: ${f}`);
    for (const f of d.ungrounded) lines.push(`  ${f}`);
  }
  const total = (f: (d: JdDraftReport) => number) => report.drafts.reduce((n, d) => n + f(d), 0);
  lines.push(
    '',
    `Totals: ${report.drafts.length} drafts · all five sections in ${report.drafts.filter((d) => d.sectionsPresent.length === DRAFT_SECTIONS.length).length} · inclusive-language findings ${total((d) => d.inclusiveFindings.length)} · ungrounded claims ${total((d) => d.ungrounded.length)} · words ${total((d) => d.words)} · tokens in/out ${total((d) => d.inputTokens)}/${total((d) => d.outputTokens)}`,
  );
  return lines.join('\n');
}


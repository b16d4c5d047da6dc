import { minimiseResume } from '#core/ai/minimise';
import type { ScreeningProvider } from '#core/ai/screening/contract';
import { requirementsFromJobPost } from '#core/ai/screening/job-requirements';
import type { EvalDataset, Label } from '../dataset.ts';
import { fmt, mapConcurrent, table } from '../evaluate.ts';
import { IDENTITY_GROUPS, RACES, SEXES, type IdentityGroup } from './names.ts';
import { describeRule, impactTable, rocAuc, selectionWeights, type ImpactTable, type SelectionRule } from './metrics.ts';
import { renderResume } from './render.ts';

/**
 * The counterfactual (name-swap) evaluation: every base resume of the eval set rendered once per
 * identity group (race/ethnicity × sex: a name from the audit studies, pronouns, and in half the
 * conditions the group's proxy lines), scored by one provider, and the selection rates, impact
 * ratios, per-resume score changes and ROC AUC computed per condition.
 *
 * Four conditions, because the figure that matters and the figure that explains differ:
 * - `deployed`: the whole pipeline as screening runs it, minimiseResume with the variant's names
 *   before the provider sees anything. This is what a candidate is exposed to.
 * - `raw`: the rendered resume as is, no minimisation: what the provider itself does with a name,
 *   pronouns and memberships in front of it.
 * Each with `name` (name and pronouns) and `name+proxy` (plus the affinity-group and team lines,
 * which minimisation keeps: memberships are not dropped, see lambdas/core/ai/minimise.ts).
 *
 * Identical provider inputs are screened once: under minimisation most variants of a resume become
 * the same text, and a second call would measure the model's sampling noise, not the name.
 */

export const MODES = ['deployed', 'raw'] as const;
export type Mode = (typeof MODES)[number];
export const SIGNALS = ['name', 'name+proxy'] as const;
export type Signals = (typeof SIGNALS)[number];

const MODE_LABEL: Readonly<Record<Mode, string>> = { deployed: 'as deployed (minimised)', raw: 'raw resume (no minimisation)' };
const SIGNALS_LABEL: Readonly<Record<Signals, string>> = { name: 'name + pronouns', 'name+proxy': 'name + pronouns + proxy lines' };

/** The label that counts as relevant for ROC AUC: the candidates a recruiter should advance. */
export const RELEVANT_LABEL: Label = 'strong';

/**
 * Published anchors, as issue 19 quotes them: a purpose-built screening model and the best of the
 * general-purpose LLMs in the same name-swap audit (the LLM figures are upper bounds).
 */
export const PUBLISHED_ANCHORS = [
  { label: 'published anchor: purpose-built screening model', bound: 'reported', minRace: 0.957, minIntersectional: 0.906, auc: 0.85 },
  { label: 'published anchor: general LLMs (at most)', bound: 'at most', minRace: 0.809, minIntersectional: null, auc: 0.77 },
] as const;

export interface VariantScore {
  readonly resumeId: string;
  readonly jobId: string;
  readonly label: Label;
  readonly group: string;
  readonly name: string;
  readonly mode: Mode;
  readonly signals: Signals;
  readonly score: number;
  /** Share of this variant the selection rule took (0–1). */
  readonly selected: number;
}

export interface ConditionReport {
  readonly mode: Mode;
  readonly signals: Signals;
  readonly label: string;
  readonly variants: number;
  /** Distinct texts the provider was given in this condition. */
  readonly distinctInputs: number;
  /** Resumes whose every group variant reached the provider as the same text. */
  readonly resumesIdenticalAcrossGroups: number;
  readonly sex: ImpactTable;
  readonly race: ImpactTable;
  readonly intersection: ImpactTable;
  /** ROC AUC of every variant's score against label = RELEVANT_LABEL. */
  readonly auc: number | null;
  /** Per resume, the highest minus the lowest score across its group variants. */
  readonly scoreChange: { readonly max: number; readonly mean: number | null; readonly maxResumeIds: string[] };
}

export interface FairnessReport {
  readonly provider: string;
  readonly model: string;
  readonly promptVersion: string;
  readonly selection: SelectionRule & { readonly description: string };
  readonly relevantLabel: Label;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly dataset: { readonly jobs: number; readonly resumes: number; readonly groups: number };
  readonly groups: { readonly id: string; readonly race: string; readonly sex: string; readonly names: string[]; readonly pronouns: string; readonly proxyLines: readonly string[] }[];
  /** Distinct provider calls over all conditions. */
  readonly providerCalls: number;
  readonly conditions: ConditionReport[];
  readonly anchors: typeof PUBLISHED_ANCHORS;
  readonly variants: VariantScore[];
}

export interface FairnessOptions {
  readonly selection?: SelectionRule;
  readonly concurrency?: number;
  /** Called after each distinct provider call, for progress output. */
  readonly onScreened?: (done: number, total: number) => void;
}

export const DEFAULT_SELECTION: SelectionRule = { kind: 'top-share', share: 0.5 };

interface Task {
  readonly resumeId: string;
  readonly jobId: string;
  readonly label: Label;
  readonly group: IdentityGroup;
  readonly name: string;
  readonly mode: Mode;
  readonly signals: Signals;
  readonly key: string;
  readonly text: string;
}

export async function evaluateFairness(dataset: EvalDataset, provider: ScreeningProvider, options: FairnessOptions = {}): Promise<FairnessReport> {
  const started = Date.now();
  const selection = options.selection ?? DEFAULT_SELECTION;
  const jobs = new Map(dataset.jobs.map((job) => [job.id, { title: job.title, requirements: requirementsFromJobPost(job.postHtml) }]));
  const resumes = dataset.resumes.filter((r) => r.variantOf === undefined);

  const tasks: Task[] = [];
  resumes.forEach((resume, index) => {
    for (const group of IDENTITY_GROUPS) {
      const name = group.names[index % group.names.length]!;
      for (const signals of SIGNALS) {
        const rendered = renderResume(resume, group, name, { proxyLines: signals === 'name+proxy' });
        for (const mode of MODES) {
          // Minimised with the names Greenhouse would hold for this person, as screening does.
          const text = mode === 'deployed' ? minimiseResume(rendered.text, { names: [rendered.candidate.firstName, rendered.candidate.lastName] }).text : rendered.text;
          tasks.push({ resumeId: resume.id, jobId: resume.jobId, label: resume.label, group, name: `${name.first} ${name.last}`, mode, signals, key: `${resume.jobId}\u0000${text}`, text });
        }
      }
    }
  });

  const distinct = [...new Map(tasks.map((t) => [t.key, t])).values()];
  const scores = new Map<string, number>();
  let promptVersion = '';
  const models = new Set<string>();
  let done = 0;
  await mapConcurrent(distinct, options.concurrency ?? 1, async (task) => {
    const job = jobs.get(task.jobId)!;
    let screened;
    try {
      screened = await provider.screen({ jobTitle: job.title, requirements: job.requirements, resumeText: task.text });
    } catch (error) {
      throw new Error(`screening ${task.resumeId} as ${task.group.id} (${task.mode}, ${task.signals}) failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    promptVersion = screened.promptVersion;
    models.add(screened.model);
    scores.set(task.key, screened.score);
    options.onScreened?.(++done, distinct.length);
  });

  const variants: VariantScore[] = [];
  const conditions: ConditionReport[] = [];
  for (const mode of MODES) {
    for (const signals of SIGNALS) {
      const mine = tasks.filter((t) => t.mode === mode && t.signals === signals);
      const scored: VariantScore[] = [];
      // Selection is within one job's pool: scores for different posts are not comparable.
      for (const jobId of jobs.keys()) {
        const pool = mine.filter((t) => t.jobId === jobId);
        const weights = selectionWeights(pool.map((t) => scores.get(t.key)!), selection);
        pool.forEach((t, i) =>
          scored.push({ resumeId: t.resumeId, jobId, label: t.label, group: t.group.id, name: t.name, mode, signals, score: scores.get(t.key)!, selected: weights[i]! }),
        );
      }
      const groupOf = new Map(IDENTITY_GROUPS.map((g) => [g.id, g]));
      const changes = resumes.map((resume) => {
        const own = scored.filter((v) => v.resumeId === resume.id).map((v) => v.score);
        return { resumeId: resume.id, change: Math.max(...own) - Math.min(...own) };
      });
      const max = changes.reduce((m, c) => Math.max(m, c.change), 0);
      conditions.push({
        mode,
        signals,
        label: `${MODE_LABEL[mode]}: ${SIGNALS_LABEL[signals]}`,
        variants: scored.length,
        distinctInputs: new Set(mine.map((t) => t.key)).size,
        resumesIdenticalAcrossGroups: resumes.filter((r) => new Set(mine.filter((t) => t.resumeId === r.id).map((t) => t.key)).size === 1).length,
        sex: impactTable(scored.map((v) => ({ group: groupOf.get(v.group)!.sex, selected: v.selected })), SEXES),
        race: impactTable(scored.map((v) => ({ group: groupOf.get(v.group)!.race, selected: v.selected })), RACES),
        intersection: impactTable(scored.map((v) => ({ group: v.group, selected: v.selected })), IDENTITY_GROUPS.map((g) => g.id)),
        auc: rocAuc(scored.map((v) => v.score), scored.map((v) => v.label === RELEVANT_LABEL)),
        scoreChange: {
          max,
          mean: changes.length ? changes.reduce((s, c) => s + c.change, 0) / changes.length : null,
          maxResumeIds: max > 0 ? changes.filter((c) => c.change === max).map((c) => c.resumeId) : [],
        },
      });
      variants.push(...scored);
    }
  }

  return {
    provider: provider.provider,
    model: [...models].join(', ') || provider.model,
    promptVersion,
    selection: { ...selection, description: describeRule(selection) },
    relevantLabel: RELEVANT_LABEL,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    dataset: { jobs: dataset.jobs.length, resumes: resumes.length, groups: IDENTITY_GROUPS.length },
    groups: IDENTITY_GROUPS.map((g) => ({ id: g.id, race: g.race, sex: g.sex, names: g.names.map((n) => `${n.first} ${n.last}`), pronouns: g.pronouns, proxyLines: g.proxyLines })),
    providerCalls: distinct.length,
    conditions,
    anchors: PUBLISHED_ANCHORS,
    variants,
  };
}

const ratio = (value: number | null) => fmt(value, 3);
const condition = (report: FairnessReport, mode: Mode, signals: Signals) => report.conditions.find((c) => c.mode === mode && c.signals === signals)!;

/** Why the offline provider's figures look as they do: stated from the run, not assumed. */
export function offlineNote(report: FairnessReport): string[] {
  if (report.provider !== 'offline') return [];
  const deployedName = condition(report, 'deployed', 'name');
  const lines = [
    'About the offline provider: it is a keyword matcher, not a language model. It scores the share of the post\'s requirement keywords found in the resume and has no notion of a name, a pronoun or a group.',
    `As deployed, minimisation drops the header line with the name and pronouns (it states pronouns) and turns the names in the contact line into [email] and [link], so for ${deployedName.resumesIdenticalAcrossGroups} of ${report.dataset.resumes} resumes every group's variant reached it as the same text: its ratios of 1 and zero score changes there are trivial, not evidence about a language model.`,
  ];
  for (const c of report.conditions.filter((c) => c !== deployedName)) {
    const seen = c.mode === 'raw' ? `it saw the ${c.signals === 'name' ? 'names and pronouns' : 'names, pronouns and proxy lines'} (no minimisation)` : 'the proxy lines reached it (minimisation keeps memberships)';
    lines.push(
      c.scoreChange.max === 0
        ? `${c.label}: ${seen}, but they changed no requirement's keyword match, so no score moved.`
        : `${c.label}: ${seen}, and a word of them is a requirement keyword, so the matcher moved ${c.scoreChange.maxResumeIds.join(', ')} by up to ${c.scoreChange.max} points: a keyword artefact, not a judgement about the group, but a change a candidate would see.`,
    );
  }
  return lines;
}

export function formatFairnessReport(report: FairnessReport): string {
  const out: string[] = [];
  out.push(`Counterfactual (name-swap) evaluation: provider ${report.provider}, model ${report.model}, prompt ${report.promptVersion || 'n/a'}`);
  if (report.provider === 'offline') out.push('(the offline keyword matcher, not a language model)');
  out.push(
    `${report.dataset.resumes} labelled resumes × ${report.dataset.groups} groups (race/ethnicity × sex) × ${report.conditions.length} conditions = ${report.variants.length} scored variants; ${report.providerCalls} distinct provider inputs; ${(report.durationMs / 1000).toFixed(1)} s`,
    `Selected: ${report.selection.description}. AUC: scores against label ${report.relevantLabel} vs the rest. IR = impact ratio (a group's selection rate ÷ the highest group's); four-fifths flag below 0.8.`,
    '',
    ...table(
      ['condition', 'min IR sex', 'min IR race', 'min IR intersectional', 'AUC', 'max Δ score', 'mean Δ', 'inputs'],
      [
        ...report.conditions.map((c) => [
          c.label,
          ratio(c.sex.minimum),
          ratio(c.race.minimum),
          ratio(c.intersection.minimum),
          fmt(c.auc),
          String(c.scoreChange.max),
          fmt(c.scoreChange.mean),
          String(c.distinctInputs),
        ]),
        ...report.anchors.map((a) => {
          const bound = a.bound === 'at most' ? '≤ ' : '';
          return [a.label, '—', `${bound}${ratio(a.minRace)}`, a.minIntersectional === null ? '—' : `${bound}${ratio(a.minIntersectional)}`, `${bound}${fmt(a.auc)}`, '—', '—', ''];
        }),
      ],
    ),
    '',
    'Selection rate per group (impact ratio)',
    ...table(
      ['group', ...report.conditions.map((c) => `${c.mode} ${c.signals}`)],
      (['intersection', 'race', 'sex'] as const).flatMap((dimension) =>
        report.conditions[0]![dimension].rows.map((row, index) => [
          row.group,
          ...report.conditions.map((c) => {
            const r = c[dimension].rows[index]!;
            const flag = r.impactRatio !== null && r.impactRatio < 0.8 ? ' !' : '';
            return `${fmt(r.rate)} (${ratio(r.impactRatio)})${flag}`;
          }),
        ]),
      ),
    ),
  );
  const flagged = report.conditions.filter((c) => (c.intersection.minimum ?? 1) < 0.8);
  out.push('', flagged.length ? `Four-fifths flag (intersectional IR < 0.8): ${flagged.map((c) => c.label).join('; ')}` : 'No group falls below four-fifths of the most selected group in any condition.');
  const notes = offlineNote(report);
  if (notes.length) out.push('', ...notes);
  return out.join('\n');
}

/** One paragraph for the end of the plain `npm run eval` run. */
export function fairnessSummary(report: FairnessReport): string {
  const clause = (c: ConditionReport) =>
    `${c.label}: min impact ratio sex ${ratio(c.sex.minimum)}, race ${ratio(c.race.minimum)}, intersectional ${ratio(c.intersection.minimum)}; AUC ${fmt(c.auc)}; largest score change per resume ${c.scoreChange.max} (mean ${fmt(c.scoreChange.mean)})`;
  const [built, llms] = PUBLISHED_ANCHORS;
  return [
    `Name-swap fairness (provider ${report.provider}; ${report.dataset.resumes} resumes × ${report.dataset.groups} race/ethnicity × sex groups; selected: ${report.selection.description}).`,
    ...report.conditions.map((c) => `${clause(c)}.`),
    `Published anchors: purpose-built screening model race ${ratio(built.minRace)}, intersectional ${ratio(built.minIntersectional)}, AUC ${fmt(built.auc)}; general LLMs race ≤ ${ratio(llms.minRace)}, AUC ≤ ${fmt(llms.auc)}.`,
    ...(report.provider === 'offline' ? ['The offline keyword matcher never sees a name after minimisation: its ratios of 1 there are trivial.'] : []),
    'Per-group rates: npm run eval -- fairness.',
  ].join(' ');
}

export interface FairnessGates {
  /** Fail when the deployed pipeline's lowest intersectional impact ratio (either signal set) is below this. */
  readonly minImpactRatio?: number;
}

export function fairnessGateFailures(report: FairnessReport, gates: FairnessGates): string[] {
  if (gates.minImpactRatio === undefined) return [];
  return report.conditions
    .filter((c) => c.mode === 'deployed' && (c.intersection.minimum === null || c.intersection.minimum < gates.minImpactRatio!))
    .map((c) => `${c.label}: intersectional impact ratio ${ratio(c.intersection.minimum)} is below --min-impact-ratio ${gates.minImpactRatio}`);
}

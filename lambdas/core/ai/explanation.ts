import { collect } from '#core/async-iterables';
import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import type { AuditEntry } from '#core/sync/ports';
import { FEEDBACK_WORKFLOW } from './feedback/contract.ts';
import { candidateNames, minimiseResume } from './minimise.ts';
import { OFFLINE_PROVIDER } from './screening/offline.ts';
import { SCREENING_WORKFLOW } from './screening/workflow.ts';

/**
 * `bridge explain <applicationId>`: a plain-language explanation of what the AI produced for one
 * application, written to be sent to the candidate (Colorado's AI Act asks for one of an adverse
 * decision and of the AI's part in it; docs/ai-governance.md). Pure: the CLI lists the Audit entries
 * and, when it can, reads what the hiring team did since from Greenhouse, and prints what this returns.
 *
 * Only known fields of known entry kinds are read, so whatever else an entry holds (an operator's
 * note, a name stored by mistake) never reaches the text. Model text (requirements, evidence quotes)
 * is passed through the same minimisation as the resume, so an email, phone number, link, name or
 * protected-attribute line in it is taken out. No internal id but the application's is named, no
 * interviewer's words or ratings (the feedback summary is named, not quoted), no score threshold.
 */

/** What the hiring team did with the application, as Greenhouse holds it now (all optional). */
export interface ApplicationFacts {
  /** `in_process | rejected | hired | converted`. */
  readonly status?: string | null;
  readonly currentStage?: string | null;
  readonly rejectedAt?: string | null;
  /** The rejection reason's name, as the hiring team chose it. */
  readonly rejectionReason?: string | null;
  /** Stages the application entered, with when. */
  readonly stageMoves?: readonly { readonly stage: string; readonly enteredAt: string }[];
  /** The candidate's names: only ever used to take them out of the text, never printed. */
  readonly names?: readonly string[];
}

export interface RequirementFinding {
  readonly requirement: string;
  /** A quote from the minimised resume (met), or what was missing (missed). */
  readonly evidence: string | null;
}

interface Tool {
  readonly provider: string;
  readonly model: string;
  readonly promptVersion: string | null;
  /** False for the offline matchers: a deterministic keyword rule, not a language model. */
  readonly languageModel: boolean;
}

export type ExplainedOutput =
  | ({
      readonly kind: 'screening';
      readonly at: string;
      /** `shadow`: recorded only, never shown to the hiring team. */
      readonly shownToHiringTeam: boolean;
      readonly score: number | null;
      readonly requirementsConsidered: number | null;
      readonly removedBeforeTheModel: readonly string[];
      readonly met: readonly RequirementFinding[];
      readonly missed: readonly RequirementFinding[];
      readonly notJudged: readonly string[];
    } & Tool)
  | ({ readonly kind: 'feedback-summary'; readonly at: string; readonly shownToHiringTeam: boolean; readonly scorecards: number | null } & Tool)
  | { readonly kind: 'not-run'; readonly workflow: string; readonly at: string; readonly reason: string }
  | ({ readonly kind: 'failed'; readonly workflow: string; readonly at: string } & Partial<Tool>)
  | { readonly kind: 'opted-out'; readonly workflow: string; readonly at: string };

export interface HumanDecisions {
  /** False when Greenhouse was not read: the text says so. */
  readonly read: boolean;
  readonly status: string | null;
  readonly currentStage: string | null;
  readonly rejectedAt: string | null;
  readonly rejectionReason: string | null;
  readonly stageMovesAfterAi: readonly { readonly stage: string; readonly enteredAt: string }[];
}

export interface Explanation {
  readonly applicationId: number;
  readonly outputs: readonly ExplainedOutput[];
  readonly humanDecisions: HumanDecisions;
  /** The letter: plain text, short sentences, ready to send. */
  readonly text: string;
}

/** Every Audit kind this explains; any other kind on the application (sync, offers) is not the AI's output. */
const EXPLAINED_KINDS = new Set(['ai-inference', 'ai-reused', 'ai-not-screenable', 'ai-failed', 'ai-opted-out']);

/** Whether the Audit holds any AI output (or a recorded opt-out) for the application. */
export function hasAiEntries(entries: readonly AuditEntry[]): boolean {
  return entries.some((entry) => EXPLAINED_KINDS.has(entry.kind));
}

export function explainApplication(applicationId: number, entries: readonly AuditEntry[], facts?: ApplicationFacts): Explanation {
  const names = facts?.names ?? [];
  const outputs = dedupe(oldestFirst(entries).flatMap((entry) => explainEntry(entry, names)));
  const firstAt = outputs[0]?.at;
  const humanDecisions: HumanDecisions = facts
    ? {
        read: true,
        status: facts.status ?? null,
        currentStage: safe(facts.currentStage, names),
        rejectedAt: facts.rejectedAt ?? null,
        rejectionReason: safe(facts.rejectionReason, names),
        stageMovesAfterAi: (facts.stageMoves ?? [])
          .filter((move) => firstAt === undefined || time(move.enteredAt) > time(firstAt))
          .sort((a, b) => time(a.enteredAt) - time(b.enteredAt))
          .flatMap((move) => {
            const stage = safe(move.stage, names);
            return stage ? [{ stage, enteredAt: move.enteredAt }] : [];
          }),
      }
    : { read: false, status: null, currentStage: null, rejectedAt: null, rejectionReason: null, stageMovesAfterAi: [] };
  return { applicationId, outputs, humanDecisions, text: letter(applicationId, outputs, humanDecisions) };
}

export type FactsReader = Pick<
  GreenhouseApi,
  'listApplications' | 'getCandidate' | 'listRejectionDetails' | 'listRejectionReasons' | 'listApplicationStages' | 'listJobInterviewStages'
>;

/**
 * What the hiring team did with the application, read from Greenhouse: its status, stage and
 * rejection, the stages it entered, and the candidate's names (to keep them out of the text).
 * Undefined when Greenhouse does not know the application. The rejection reason and the stage history
 * are extras: a tenant that refuses them (a scope not granted) still gets the status and stage.
 */
export async function readApplicationFacts(greenhouse: FactsReader, applicationId: number): Promise<ApplicationFacts | undefined> {
  const [application] = await collect(greenhouse.listApplications({ ids: [applicationId] }));
  if (!application) return undefined;
  const optional = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch {
      return undefined;
    }
  };
  const rejectionReason =
    application.status === 'rejected'
      ? await optional(async () => {
          const details = await collect(greenhouse.listRejectionDetails({ application_ids: [applicationId] }));
          const latest = details.sort((a, b) => time(b.rejected_at ?? '') - time(a.rejected_at ?? ''))[0];
          const reasonId = latest?.rejection_reason_id ?? application.rejection_reason_id;
          if (reasonId === null || reasonId === undefined) return undefined;
          const reasons = await collect(greenhouse.listRejectionReasons({ includeDefaults: true }));
          return reasons.find((r) => r.id === reasonId)?.name ?? undefined;
        })
      : undefined;
  const jobId = application.job_id;
  const stageMoves =
    jobId === null || jobId === undefined
      ? undefined
      : await optional(async () => {
          const visits = await collect(greenhouse.listApplicationStages({ application_ids: [applicationId] }));
          const stageNames = new Map((await collect(greenhouse.listJobInterviewStages([jobId]))).map((stage) => [stage.id, stage.name]));
          return visits.flatMap((visit) => {
            const stage = visit.job_interview_stage_id === null || visit.job_interview_stage_id === undefined ? undefined : stageNames.get(visit.job_interview_stage_id);
            return stage && visit.entered_at ? [{ stage, enteredAt: visit.entered_at }] : [];
          });
        });
  const names = await optional(async () => candidateNames(await greenhouse.getCandidate(application.candidate_id)));
  return {
    status: application.status ?? null,
    currentStage: application.stage_name ?? null,
    rejectedAt: application.rejected_at ?? null,
    rejectionReason: rejectionReason ?? null,
    ...(stageMoves ? { stageMoves } : {}),
    ...(names ? { names } : {}),
  };
}

function explainEntry(entry: AuditEntry, names: readonly string[]): ExplainedOutput[] {
  const detail = entry.detail ?? {};
  const workflow = str(detail['workflow']) ?? 'an AI workflow';
  const at = entry.at;
  const kind: string = entry.kind;
  if (kind === 'ai-opted-out') return [{ kind: 'opted-out', workflow, at }];
  if (kind === 'ai-not-screenable') return [{ kind: 'not-run', workflow, at, reason: notRunReason(str(detail['reason'])) }];
  if (kind === 'ai-failed') return [{ kind: 'failed', workflow, at, ...toolOf(detail) }];
  if (kind !== 'ai-inference' && kind !== 'ai-reused') return [];
  const tool = toolOf(detail);
  if (!tool) return [];
  const shownToHiringTeam = detail['mode'] !== 'shadow';
  if (workflow === FEEDBACK_WORKFLOW) return [{ kind: 'feedback-summary', at, shownToHiringTeam, scorecards: num(detail['scorecards']), ...tool }];
  if (workflow !== SCREENING_WORKFLOW) return [];
  const answer = record(parse(detail['output']));
  const findings = (value: unknown): RequirementFinding[] =>
    list(value).flatMap((item) => {
      const finding = record(item);
      const requirement = safe(str(finding['point']), names);
      return requirement ? [{ requirement, evidence: safe(str(finding['evidence']), names) }] : [];
    });
  return [
    {
      kind: 'screening',
      at,
      shownToHiringTeam,
      score: num(answer['score']) ?? num(detail['score']),
      requirementsConsidered: num(detail['requirements']),
      removedBeforeTheModel: removedKinds(detail['removed']),
      met: findings(answer['strengths']),
      missed: findings(answer['gaps']),
      notJudged: list(answer['notJudged']).flatMap((item) => safe(str(item), names) ?? []),
      ...tool,
    },
  ];
}

function toolOf(detail: Readonly<Record<string, unknown>>): Tool | undefined {
  const provider = plain(str(detail['provider']));
  const model = plain(str(detail['model']));
  if (!provider || !model) return undefined;
  return { provider, model, promptVersion: plain(str(detail['promptVersion'])) ?? null, languageModel: provider !== OFFLINE_PROVIDER };
}

/** A redelivered message may record the same output twice: one explanation of it is enough. */
function dedupe(outputs: ExplainedOutput[]): ExplainedOutput[] {
  const seen = new Set<string>();
  return outputs.filter((output) => {
    const { at: _at, ...rest } = output;
    const key = JSON.stringify(rest);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const NOT_RUN_REASONS: Readonly<Record<string, string>> = {
  'no-job-post-requirements': 'the job post lists no requirements to compare a resume with',
  'no-resume': 'no resume was attached to the application',
};

function notRunReason(reason: string | undefined): string {
  if (reason === undefined) return 'the reason was not recorded';
  if (reason.startsWith('resume ')) return 'the resume file could not be read as text';
  return NOT_RUN_REASONS[reason] ?? 'the input could not be used';
}

const REMOVED_WORDS: Readonly<Record<string, string>> = {
  name: 'your name',
  email: 'email addresses',
  phone: 'phone numbers',
  link: 'links',
  'proxy-line': 'lines about personal characteristics',
};

function removedKinds(value: unknown): string[] {
  const counts = record(parse(value));
  return Object.keys(REMOVED_WORDS).filter((kind) => (num(counts[kind]) ?? 0) > 0);
}

// ——— the letter ———

function letter(applicationId: number, outputs: readonly ExplainedOutput[], human: HumanDecisions): string {
  const lines = [`How AI was used on your application (reference ${applicationId})`, ''];
  if (outputs.length === 0) {
    lines.push('No AI output is recorded for this application.');
  } else {
    lines.push(
      'The hiring team uses AI tools to assist its review. These tools only advise the people on the hiring team.',
      'They do not decide, reject or move an application: people make those decisions.',
    );
    for (const output of outputs) lines.push('', ...section(output));
  }
  lines.push('', 'What people decided', ...humanSection(human, outputs.length > 0));
  lines.push(
    '',
    'How to ask for a human review',
    "You can ask for a person on the hiring team to review your application again, without the AI's result, and to correct anything here that is wrong.",
    `Reply to the message this came with, or contact the hiring team, and quote the reference ${applicationId}.`,
  );
  return lines.join('\n');
}

function section(output: ExplainedOutput): string[] {
  const when = day(output.at);
  switch (output.kind) {
    case 'opted-out':
      return [`${when}: you asked not to be reviewed by AI, so the ${workflowName(output.workflow)} did not run. Nothing was sent to an AI tool.`];
    case 'not-run':
      return [`${when}: the ${workflowName(output.workflow)} did not run, because ${output.reason}. Nothing was guessed and nothing was shown to the hiring team.`];
    case 'failed':
      return [`${when}: the ${workflowName(output.workflow)} was tried, but its answer could not be used. Nothing was shown to the hiring team.`];
    case 'feedback-summary':
      return [
        `${when}: interview feedback summary`,
        `An AI tool summarised the ${output.scorecards === null ? '' : `${output.scorecards} `}written interview scorecard${output.scorecards === 1 ? '' : 's'} for the hiring team.`,
        'It did not rate you or recommend a decision; the interviewers\' own ratings stand as they wrote them.',
        toolSentence(output),
        ...shadowSentence(output.shownToHiringTeam),
      ];
    case 'screening':
      return screeningSection(when, output);
  }
}

function screeningSection(when: string, s: Extract<ExplainedOutput, { kind: 'screening' }>): string[] {
  const lines = [
    `${when}: resume screening`,
    'What the AI was asked to do: compare your resume with the requirements in the job post, and give the hiring team a fit score with the evidence for it.',
    `What it considered: the text of your resume, with your name, contact details, links and any lines about personal characteristics (such as age, gender or nationality) taken out first; and ${s.requirementsConsidered === null ? 'the requirements listed in the job post' : `the ${s.requirementsConsidered} requirement${s.requirementsConsidered === 1 ? '' : 's'} listed in the job post`}.`,
  ];
  if (s.removedBeforeTheModel.length) lines.push(`Taken out of your resume text before the AI saw it: ${joinWords(s.removedBeforeTheModel.map((k) => REMOVED_WORDS[k]!))}.`);
  lines.push(toolSentence(s));
  if (s.score !== null) lines.push(`Its fit score: ${s.score} out of 100. The score is advice to the reviewers, not a decision.`);
  lines.push(...findingList('Requirements it found in your resume, with the words it relied on:', s.met, (e) => `from your resume: “${e}”`));
  lines.push(...findingList('Requirements it did not find in your resume:', s.missed, (e) => e));
  if (s.notJudged.length) lines.push('Requirements it could not judge from a resume:', ...s.notJudged.map((r) => `  - ${r}`));
  lines.push(...shadowSentence(s.shownToHiringTeam));
  return lines;
}

function findingList(title: string, findings: readonly RequirementFinding[], evidence: (text: string) => string): string[] {
  if (findings.length === 0) return [];
  return [title, ...findings.map((f) => `  - ${f.requirement}${f.evidence ? ` (${evidence(f.evidence)})` : ''}`)];
}

function toolSentence(tool: Tool): string {
  const version = tool.promptVersion ? `, instructions version ${tool.promptVersion}` : '';
  return tool.languageModel
    ? `The tool: a large language model (${tool.model}, from ${tool.provider}${version}).`
    : `The tool: an automatic keyword matcher (${tool.model}${version}). It is not a language model: it checks whether each requirement's key words appear in your resume.`;
}

function shadowSentence(shown: boolean): string[] {
  return shown ? [] : ['This ran as a trial: its result was kept in the audit record only and was not shown to the hiring team.'];
}

function humanSection(human: HumanDecisions, hadAi: boolean): string[] {
  if (!human.read) return ['The hiring team\'s decisions were not read for this explanation. The hiring team can tell you where your application stands.'];
  const lines: string[] = [];
  const after = hadAi ? ' after the AI\'s review' : '';
  if (human.stageMovesAfterAi.length) {
    lines.push(`The hiring team moved your application${after}:`, ...human.stageMovesAfterAi.map((m) => `  - to "${m.stage}" on ${day(m.enteredAt)}`));
  }
  switch (human.status) {
    case 'rejected':
      lines.push(
        `The hiring team decided not to go ahead with your application${human.rejectedAt ? ` on ${day(human.rejectedAt)}` : ''}. This was a decision by people on the hiring team, not by the AI.`,
      );
      if (human.rejectionReason) lines.push(`The reason they recorded: ${human.rejectionReason}.`);
      break;
    case 'hired':
      lines.push('The hiring team decided to hire you for this job.');
      break;
    case 'in_process':
      lines.push(`Your application is still being considered${human.currentStage ? `, at the "${human.currentStage}" stage` : ''}. No final decision has been made.`);
      break;
    default:
      lines.push(human.currentStage ? `Your application is at the "${human.currentStage}" stage.` : 'No decision on your application is recorded.');
  }
  return lines;
}

function workflowName(workflow: string): string {
  if (workflow === SCREENING_WORKFLOW) return 'AI resume screening';
  if (workflow === FEEDBACK_WORKFLOW) return 'AI interview feedback summary';
  return 'AI review';
}

function joinWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** A date a candidate reads: `4 December 2026`, in UTC (the Audit's clock). */
function day(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return 'a date not recorded';
  return new Date(ms).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
}

// ——— reading stored values defensively ———

/**
 * Text that may go in the letter: control characters out, then the resume's minimisation (emails,
 * phones, links, the candidate's names, protected-attribute lines). Empty after that: left out.
 */
function safe(value: string | null | undefined, names: readonly string[]): string | null {
  const text = plain(value ?? undefined);
  if (text === undefined) return null;
  // A quoted resume line keeps no list bullet of its own.
  const kept = minimiseResume(text, { names }).text.trim().replace(/^[-–•*]\s+/, '');
  return kept === '' ? null : kept;
}

/** One line, without control characters (escape sequences included): model ids are not minimised, their digits are no phone number. */
function plain(value: string | undefined): string | undefined {
  // eslint-disable-next-line no-control-regex
  const text = value?.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return text ? text : undefined;
}

function oldestFirst(entries: readonly AuditEntry[]): AuditEntry[] {
  return [...entries].reverse().sort((a, b) => time(a.at) - time(b.at));
}

function time(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

function parse(value: unknown): unknown {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

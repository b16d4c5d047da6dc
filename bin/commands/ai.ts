import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Command } from 'commander';
import { jobDescriptionNote } from '#core/ai/jd/note';
import { draftJobDescription, type JobDescriptionOutcome } from '#core/ai/jd/workflow';
import { rediscoveryNote } from '#core/ai/rediscovery/note';
import { rediscoverForJob, type RediscoveryOutcome } from '#core/ai/rediscovery/workflow';
import { readConfig, type BridgeConfig } from '#lambdas/config';
import { aiWorkflowsFrom } from '#wiring/ai-workflows';
import { UsageError, requireCliSettings, type CliSetting } from '../cli-settings.ts';

/**
 * The AI workflows an operator runs on demand, with the deployed (or local) settings, clients and
 * stores, so each run is gated, audited and deduplicated exactly as the ai-tasks consumer's:
 *
 *   bridge rediscover <jobId> [--shadow] [--json]   past candidates for a job, with the evidence
 *   bridge jd <jobId> [--shadow] [--json]           a drafted description of a job, with its checks
 *
 * `--shadow` runs in shadow mode whatever the settings say: audited, nothing written to Greenhouse.
 */
export function registerAiCommands(cli: Command): void {
  onDemand(cli, {
    name: 'rediscover',
    summary: 'past candidates worth a look for a job, with the evidence',
    description:
      'candidate rediscovery for one job now: print the past candidates it suggests with the requirements each matches; in assist mode it also writes the private job note, as the daily run would',
    async run(config, jobId, shadow) {
      if (!config.ai.rediscovery.enabled) throw new UsageError('candidate rediscovery is off (ai.rediscovery.enabled): nothing was run');
      requireCliSettings(config, [...AI_SETTINGS, 'rediscovery-index']);
      const deps = aiWorkflowsFrom(config, { dynamodb: new DynamoDBClient({}) }).rediscoveryDependencies!;
      const settings = shadow ? { ...deps.settings, mode: 'shadow' as const } : deps.settings;
      const outcome = await rediscoverForJob(jobId, { ...deps, settings }, 'operator');
      return { outcome, text: () => formatRediscovery(outcome, settings.minInactiveDays) };
    },
  });
  onDemand(cli, {
    name: 'jd',
    summary: 'draft a job description for review, with its checks',
    description:
      'job-description draft for one job now: print the draft and its checks; in assist mode it also writes the private job note (and, with writeJobPost, the content of its posts that are not live), as job_created would',
    async run(config, jobId, shadow) {
      if (!config.ai.jobDescriptions.enabled) throw new UsageError('job-description drafts are off (ai.jobDescriptions.enabled): nothing was run');
      requireCliSettings(config, AI_SETTINGS);
      const deps = aiWorkflowsFrom(config, { dynamodb: new DynamoDBClient({}) }).jobDescriptionDependencies;
      const settings = shadow ? { ...deps.settings, mode: 'shadow' as const } : deps.settings;
      const outcome = await draftJobDescription(jobId, { ...deps, settings });
      return { outcome, text: () => formatDraft(outcome) };
    },
  });
}

/** What every on-demand run reads: Greenhouse (and its rate budget on the Ledger), the AI memory on the Ledger, the Audit. */
const AI_SETTINGS: readonly CliSetting[] = ['greenhouse', { table: 'audit' }, { table: 'ledger' }];

interface OnDemandRun {
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  run(config: BridgeConfig, jobId: number, shadow: boolean): Promise<{ readonly outcome: unknown; readonly text: () => string }>;
}

/** One job's workflow run now: `<jobId>`, `--shadow`, `--json`, the outcome printed. */
function onDemand(cli: Command, command: OnDemandRun): void {
  cli
    .command(command.name)
    .summary(command.summary)
    .description(command.description)
    .argument('<jobId>', 'Greenhouse job id')
    .option('--shadow', 'shadow mode for this run: audit only, nothing written to Greenhouse')
    .option('--json', 'print the outcome as one JSON object')
    .action(async (jobId: string, options: { shadow?: boolean; json?: boolean }) => {
      const id = jobIdOf(jobId);
      const { outcome, text } = await command.run(readConfig(), id, options.shadow === true);
      process.stdout.write(`${options.json ? JSON.stringify(outcome) : text()}\n`);
    });
}

/** The draft as the note a recruiter reads, after a line saying what was written. */
export function formatDraft(outcome: JobDescriptionOutcome): string {
  if (outcome.outcome === 'already-drafted') return `job ${outcome.jobId}: this exact draft was already written; nothing written again`;
  if (outcome.outcome !== 'drafted') return `no draft: ${outcome.reason}`;
  const written = outcome.noteWritten ? `note written${outcome.posts.patched.length ? `, posts ${outcome.posts.patched.join(', ')} filled in (not live)` : ''}` : outcome.jobNotes === 'unsupported' ? 'nothing written: this tenant has no job notes' : 'nothing written';
  const { checks, provenance, payRangeRequiredIn, posts } = outcome;
  return `job ${outcome.jobId}: ${outcome.mode} mode · ${written}\n\n${jobDescriptionNote(outcome.draft, { checks, provenance, payRangeRequiredIn, posts })}`;
}

function jobIdOf(value: string): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0) throw new UsageError(`not a Greenhouse job id: ${JSON.stringify(value)}`);
  return id;
}

/** The outcome in words; the suggestions as the note a recruiter reads, ids and links only. */
export function formatRediscovery(outcome: RediscoveryOutcome, minInactiveDays: number): string {
  if (outcome.outcome !== 'suggested') return `nothing suggested: ${outcome.reason}`;
  const written = outcome.noteWritten ? `note written on the ${outcome.notedOn === 'candidates' ? 'candidates (this tenant has no job notes)' : 'job'}` : outcome.alreadySuggested ? 'the same as the last run: nothing written' : 'nothing written';
  const head = `job ${outcome.jobId}: ${outcome.suggestions.length} suggested · ${outcome.mode} mode · ${written}`;
  if (!outcome.suggestions.length) return head;
  return `${head}\n\n${rediscoveryNote(outcome.suggestions, { jobTitle: outcome.jobTitle, provenance: outcome.provenance, minInactiveDays })}`;
}

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { collect } from '#core/async-iterables';
import type { AiTaskDependencies, RediscoveryRuns } from '#core/ai/run-task';
import { synthesizeFeedback } from '#core/ai/feedback/workflow';
import { anonymizedBy, removeFromIndex } from '#core/ai/rediscovery/index-removal';
import { syncCandidateIndex } from '#core/ai/rediscovery/index-sync';
import { rediscoverForJob, type RediscoveryDependencies } from '#core/ai/rediscovery/workflow';
import { draftJobDescription, type JobDescriptionDependencies } from '#core/ai/jd/workflow';
import type { CompanyCorpus } from '#core/ai/jd/ports';
import { checkOfferForApproval } from '#core/ai/offers/workflow';
import { checkOverrides } from '#core/ai/overrides/workflow';
import { folderCorpus, s3Corpus } from '#adapters/ai/company-corpus';
import { loadInclusiveLanguage } from '#adapters/ai/inclusive-language-loader';
import { systemClock } from '#adapters/system-clock';
import { extractResumeText } from '#adapters/resume-text';
import { DynamoDbAiMemory } from '#adapters/store/ai-memory';
import { DynamoDbAudit } from '#adapters/store/audit';
import { requireTableName, type BridgeConfig } from '#lambdas/config';
import { aiProvidersFrom } from './ai-providers.ts';
import { greenhouseClientFrom } from './api-clients.ts';
import { embedderFrom, rediscoveryPortsFrom } from './rediscovery.ts';
import { S3Client } from '@aws-sdk/client-s3';
import { NO_TRACING, type CallTracing } from '#adapters/tracing';

/**
 * The AI workflows as one function's dependencies, built from the configuration: the ai-tasks
 * consumer runs them on queue messages, and the operator CLI (`bridge rediscover`, `bridge jd`) runs
 * the same ones on demand, with the same clients, stores, providers and settings, so an on-demand run
 * is audited and deduplicated exactly as a queued one.
 */
export interface AiWorkflows extends Omit<AiTaskDependencies, 'settings'> {
  /** For the CLI's on-demand runs, which print more than the consumer reports. */
  readonly rediscoveryDependencies?: RediscoveryDependencies;
  readonly jobDescriptionDependencies: JobDescriptionDependencies;
}

export function aiWorkflowsFrom(config: BridgeConfig, deps: { readonly dynamodb: DynamoDBClient; readonly tracing?: CallTracing }): AiWorkflows {
  const { dynamodb, tracing = NO_TRACING } = deps;
  const retentionDays = config.ai.auditRetentionDays;
  const audit = new DynamoDbAudit(dynamodb, requireTableName(config, 'audit'), { retentionDays });
  const memory = new DynamoDbAiMemory(dynamodb, requireTableName(config, 'ledger'), retentionDays);
  const greenhouse = greenhouseClientFrom(config, { dynamodb, tracing });
  const providers = aiProvidersFrom(config.ai, tracing);
  const clock = systemClock;
  // Notes are written as the acting user when one is configured, as the sync writes them.
  const noteAuthor = config.greenhouse.actingUserId !== undefined ? { noteAuthorId: config.greenhouse.actingUserId } : {};
  const appUrl = config.sync.greenhouseAppUrl;

  // Rediscovery's index and embedder exist only when it is on (the stack creates no index otherwise).
  let rediscovery: RediscoveryRuns | undefined;
  let rediscoveryDependencies: RediscoveryDependencies | undefined;
  if (config.ai.rediscovery.enabled) {
    const { embedder, index } = rediscoveryPortsFrom(config, {}, tracing);
    const shared = { greenhouse, extractText: extractResumeText, embedder, index, memory, audit, clock, settings: config.ai.rediscovery, isAnonymized: anonymizedBy(memory), optOut: config.ai.optOut };
    rediscoveryDependencies = { ...shared, ...noteAuthor, appUrl };
    const forJob = rediscoveryDependencies;
    rediscovery = {
      forJob: (jobId, trigger) => rediscoverForJob(jobId, forJob, trigger),
      syncCandidate: (candidateId) => syncCandidateIndex([candidateId], shared),
      remove: (removal) => removeFromIndex(removal, shared),
    };
  }

  const jobDescriptionDependencies: JobDescriptionDependencies = {
    greenhouse,
    drafter: providers.jobDescription,
    embedder: embedderFrom(config.ai.rediscovery.embedding, tracing),
    corpus: corpusFrom(config, tracing),
    inclusiveLanguage: loadInclusiveLanguage,
    memory,
    audit,
    clock,
    settings: config.ai.jobDescriptions,
    payTransparency: config.ai.payTransparency,
    ...noteAuthor,
  };

  return {
    screening: { greenhouse, provider: providers.screening, extractText: extractResumeText, memory, audit, clock, optOut: config.ai.optOut, ...noteAuthor },
    applicationsOf: async (candidateId) => (await collect(greenhouse.listApplications({ candidate_ids: [candidateId] }))).map((a) => a.id),
    synthesizeFeedback: (applicationId) => synthesizeFeedback(applicationId, { greenhouse, provider: providers.feedback, memory, audit, clock, settings: config.ai.feedback, optOut: config.ai.optOut, ...noteAuthor }),
    ...(rediscovery ? { rediscovery } : {}),
    ...(rediscoveryDependencies ? { rediscoveryDependencies } : {}),
    jobDescriptionDependencies,
    draftJobDescription: (jobId) => draftJobDescription(jobId, jobDescriptionDependencies),
    checkOverrides: (applicationId) => checkOverrides(applicationId, { greenhouse, memory, audit, clock, settings: config.ai.screening, optOut: config.ai.optOut }),
    checkOffer: (offerId) =>
      checkOfferForApproval(offerId, { greenhouse, memory, audit, clock, settings: config.ai.offers, payTransparency: config.ai.payTransparency, ...noteAuthor }),
  };
}

/** The company's texts: the configured S3 prefix, or the local stack's folder; with neither, none (the checks then flag every benefit as ungrounded). */
function corpusFrom(config: BridgeConfig, tracing: CallTracing): CompanyCorpus {
  const { s3Prefix } = config.ai.jobDescriptions.corpus;
  if (s3Prefix) return s3Corpus(tracing.captureAWSv3Client(new S3Client({})), s3Prefix);
  if (config.companyCorpusDir) return folderCorpus(config.companyCorpusDir);
  return { documents: async () => [] };
}

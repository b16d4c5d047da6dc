import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { collect } from '#core/async-iterables';
import { systemClock } from '#adapters/system-clock';
import { readConfig, requireTableName } from '#lambdas/config';
import { lambdaRuntime } from '#lambdas/runtime';
import { aiProvidersFrom } from '#wiring/ai-providers';
import { consumerQueueFrom } from '#adapters/queue/consumer-queue';
import { pauseSwitchFrom } from '#adapters/store/switches';
import { greenhouseClientFrom } from '#wiring/api-clients';
import { extractResumeText } from '#adapters/resume-text';
import { DynamoDbAiMemory } from '#adapters/store/ai-memory';
import { DynamoDbAudit } from '#adapters/store/audit';
import { synthesizeFeedback } from '#core/ai/feedback/workflow';
import { makeAiTasksHandler } from './make-ai-tasks-handler.ts';

/** Lambda entry point of the ai-tasks consumer; the behaviour is in make-ai-tasks-handler.ts. */
const { logger, metrics } = lambdaRuntime('ai-tasks');
const config = readConfig();
const dynamodb = new DynamoDBClient({});
const sqs = new SQSClient({});
const retentionDays = config.ai.auditRetentionDays;
const audit = new DynamoDbAudit(dynamodb, requireTableName(config, 'audit'), { retentionDays });
const memory = new DynamoDbAiMemory(dynamodb, requireTableName(config, 'ledger'), retentionDays);
const greenhouse = greenhouseClientFrom(config, { dynamodb });
const providers = aiProvidersFrom(config.ai);
// Notes are written as the acting user when one is configured, as the sync writes them.
const noteAuthor = config.greenhouse.actingUserId !== undefined ? { noteAuthorId: config.greenhouse.actingUserId } : {};

export const handler = makeAiTasksHandler({
  screening: {
    greenhouse,
    provider: providers.screening,
    extractText: extractResumeText,
    memory,
    audit,
    clock: systemClock,
    ...noteAuthor,
  },
  applicationsOf: async (candidateId) => (await collect(greenhouse.listApplications({ candidate_ids: [candidateId] }))).map((a) => a.id),
  synthesizeFeedback: (applicationId) =>
    synthesizeFeedback(applicationId, { greenhouse, provider: providers.feedback, memory, audit, clock: systemClock, settings: config.ai.feedback, ...noteAuthor }),
  settings: config.ai,
  queue: consumerQueueFrom(config, 'ai-tasks', { sqs, dynamodb }),
  pause: pauseSwitchFrom(config, dynamodb, 'ai'),
  logger,
  metrics,
});

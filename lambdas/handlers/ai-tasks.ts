import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { systemClock } from '#core/clock';
import { readConfig, requireQueueUrl, requireTableName } from '#lambdas/config';
import { logger, metrics } from '#lambdas/runtime';
import { screeningProviderFrom } from '#adapters/ai-providers';
import { greenhouseClientFrom } from '#adapters/api-clients';
import { extractResumeText } from '#adapters/resume-text';
import { DynamoDbAiMemory } from '#adapters/store/ai-memory';
import { DynamoDbAudit } from '#adapters/store/audit';
import { makeAiTasksHandler } from './make-ai-tasks-handler.ts';

/** Lambda entry point of the ai-tasks consumer; the behaviour is in make-ai-tasks-handler.ts. */
const config = readConfig();
const dynamodb = new DynamoDBClient({});
const sqs = new SQSClient({});
const queueUrl = requireQueueUrl(config, 'ai-tasks');
const retentionDays = config.ai.auditRetentionDays;
const audit = new DynamoDbAudit(dynamodb, requireTableName(config, 'audit'), { retentionDays });
const memory = new DynamoDbAiMemory(dynamodb, requireTableName(config, 'ledger'), retentionDays);
const greenhouse = greenhouseClientFrom(config, { dynamodb });

export const handler = makeAiTasksHandler({
  screening: {
    greenhouse,
    provider: screeningProviderFrom(config.ai),
    extractText: extractResumeText,
    memory,
    audit,
    clock: systemClock,
  },
  synthesizeFeedback: async () => ({ outcome: 'not-built', inferences: [], failures: 0 }),
  settings: config.ai,
  sqs,
  queueUrlOf: () => queueUrl,
  logger,
  metrics,
});

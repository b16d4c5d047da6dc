import { GetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '#lambdas/config';
import { beameryClientFrom, greenhouseClientFrom } from '#wiring/api-clients';
import { rateBudgetKey } from '#adapters/store/dynamodb-budget-store';
import { DynamoDbAudit } from '#adapters/store/audit';
import { startLocalStack, type LocalStack } from '#local/stack';
import { localDynamoDbClient, localSqsClient } from '#local/sdk-clients';
import { eventually, queueDepth } from '../support/queues.ts';

/**
 * The local stack with its default simulators: a change made in the Greenhouse simulator comes back
 * as a signed webhook through the real ingest handler onto the sync queue, and the clients a Lambda
 * builds from its environment reach both simulators through the shared rate budget.
 */
describe('local stack with the Greenhouse and Beamery simulators', () => {
  let stack: LocalStack;
  let dynamodb: DynamoDBClient;

  beforeAll(async () => {
    // The Lambdas run in this process: keep their logs and metrics out of the test output.
    process.env['POWERTOOLS_LOG_LEVEL'] = 'ERROR';
    process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
    stack = await startLocalStack({ webhookSecret: 'saas-loop-secret' });
    dynamodb = localDynamoDbClient(stack.dynamodbEndpoint);
  });
  afterAll(async () => {
    dynamodb?.destroy();
    await stack?.stop();
  });

  it('runs both simulators by default', () => {
    expect(stack.greenhouse).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    expect(stack.beamery).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
  });

  it('carries an edit in Greenhouse to the Beamery contact: webhook, ingest, queue, consumer, Beamery', async () => {
    const edit = await fetch(`${stack.greenhouse}/_admin/candidates/901`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Staff Engineer' }),
    });
    expect(edit.status).toBe(200);
    const beamery = beameryClientFrom(readConfig(), { dynamodb });
    const contact = await eventually(async () => {
      const [found] = await beamery.findContactsByEmail('lena.marsh@example.test');
      return found?.currentRole?.title === 'Staff Engineer' ? found : undefined;
    }, 15_000, 'the contact to carry the new title');
    expect(contact.greenhouseCandidateId).toBe('901');
    expect(contact.firstName).toBe('Lena');

    const sqs = localSqsClient(stack.sqsEndpoint);
    try {
      // The consumer deletes its batch once the handler returns: nothing stays behind, nothing reaches the DLQ.
      for (const queue of [stack.resources.queues['greenhouse-changes'].url, stack.resources.queues['greenhouse-changes'].deadLetter.url]) {
        await eventually(async () => {
          const depth = await queueDepth(sqs, queue);
          return depth.visible + depth.inFlight === 0 ? true : undefined;
        }, 5_000, 'the queues to be empty');
      }
    } finally {
      sqs.destroy();
    }
  });

  it('puts a new applicant in Greenhouse on the job\'s vacancy in Beamery, creating the vacancy on the way', async () => {
    const created = await fetch(`${stack.greenhouse}/_admin/candidates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        first_name: 'Rhea',
        last_name: 'Okafor',
        email_addresses: [{ value: 'rhea.okafor@example.test', type: 'personal' }],
        application: { job_id: 802 },
      }),
    });
    expect(created.status).toBe(201);
    const beamery = beameryClientFrom(readConfig(), { dynamodb });
    const contact = await eventually(async () => (await beamery.findContactsByEmail('rhea.okafor@example.test'))[0], 15_000, 'the contact');
    const memberships = await eventually(async () => {
      const found = await beamery.listContactVacancies(contact.id);
      return found !== 'unsupported' && found.length > 0 ? found : undefined;
    }, 15_000, 'the contact to be on a vacancy');
    const vacancy = await beamery.getVacancy(memberships[0]!.vacancyId);
    expect(vacancy?.greenhouseJobId).toBe('802');
    expect(vacancy?.title).toBe('Data Analyst');
  });

  it('anonymizes the contact when Greenhouse anonymizes the candidate, and does not let the person back in', async () => {
    const patch = (path: string, body: unknown, method = 'PATCH') =>
      fetch(`${stack.greenhouse}/_admin${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await patch('/candidates/902', { title: 'Analyst' })).status).toBe(200);
    const beamery = beameryClientFrom(readConfig(), { dynamodb });
    const contact = await eventually(async () => (await beamery.findContactsByEmail('omar.quill@example.test'))[0], 15_000, 'the contact');

    expect((await patch('/candidates/902/anonymize', { fields: ['full_name', 'email_addresses', 'phone_numbers'] }, 'POST')).status).toBe(200);
    await eventually(async () => ((await beamery.getContact(contact.id))?.anonymized ? true : undefined), 15_000, 'the contact to be anonymized');

    // Greenhouse lets the person be added again; Beamery must not get them back until they consent.
    const readded = await patch('/candidates', { first_name: 'Omar', last_name: 'Quill', email_addresses: [{ value: 'omar.quill@example.test', type: 'personal' }], application: { job_id: 801 } }, 'POST');
    expect(readded.status).toBe(201);
    const readdedId = ((await readded.json()) as { candidate: { id: number } }).candidate.id;
    const audit = new DynamoDbAudit(dynamodb, stack.resources.tables.audit);
    const skip = await eventually(async () => (await audit.list(`greenhouse#candidate#${readdedId}`))[0], 15_000, 'the re-add to be refused');
    expect(skip.detail).toMatchObject({ reason: 'anonymized-until-consent' });
    expect((await beamery.findContactsByEmail('omar.quill@example.test')).filter((c) => !c.anonymized)).toEqual([]);
  });

  it('gives the Lambdas clients that reach both simulators through the tenant budget in the Ledger', async () => {
    const config = readConfig();
    const greenhouse = greenhouseClientFrom(config, { dynamodb });
    const candidate = await greenhouse.getCandidate(901);
    expect(candidate?.title).toBe('Staff Engineer');

    const beamery = beameryClientFrom(config, { dynamodb });
    expect((await beamery.listUsers()).length).toBeGreaterThan(0);

    const documents = DynamoDBDocumentClient.from(dynamodb);
    for (const system of ['greenhouse', 'beamery'] as const) {
      const { Item } = await documents.send(new GetCommand({ TableName: stack.resources.tables.ledger, Key: rateBudgetKey(system, config.tenant) }));
      expect(Item?.['used']).toBeGreaterThan(0);
    }
  });
});

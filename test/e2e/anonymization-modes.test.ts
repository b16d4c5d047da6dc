import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbIdMap } from '#adapters/store/id-map';
import { LOCAL_BEAMERY_PUSH_API_KEY } from '#local/defaults';
import { localDynamoDbClient } from '#local/sdk-clients';
import { callJson } from '../support/http.ts';
import { eventually } from '../support/queues.ts';
import { startLocalStackProcess, type LocalStackProcess } from '../support/local-stack-process.ts';

/**
 * The seed's second anonymization configuration, end to end: `npm start` with
 * ANONYMIZATION_MODE=greenhouse-authoritative (a process of its own, since the consumers read their
 * configuration once). A contact anonymized in Beamery stops Greenhouse updates from reaching it, but
 * the Greenhouse candidate is not anonymized. The bidirectional default is in
 * beamery-to-greenhouse.test.ts.
 */
interface Endpoints {
  readonly push: string;
  readonly greenhouse: string;
  readonly beamery: string;
}

describe('greenhouse-authoritative anonymization, end to end on npm start', () => {
  let stack: LocalStackProcess;
  let endpoints: Endpoints;

  beforeAll(async () => {
    stack = await startLocalStackProcess({ ANONYMIZATION_MODE: 'greenhouse-authoritative', POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' }, 60_000);
    const ready = stack.output().split('\n').find((l) => l.startsWith('ready '))!;
    const fields = Object.fromEntries(ready.split(' ').slice(1).map((pair) => pair.split('=', 2) as [string, string]));
    endpoints = { push: fields['push']!, greenhouse: fields['greenhouse']!, beamery: fields['beamery']!.replace(/\/v1$/, '') };
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('keeps the Greenhouse candidate when Beamery anonymizes the contact, and blocks further updates to the contact', async () => {
    const email = 'astrid.keep@example.test';
    const contact = await callJson<{ id: string }>(endpoints.beamery, 'POST', '/_admin/contacts', { firstName: 'Astrid', lastName: 'Keep', primaryEmail: email, emails: [email] });
    const push = () =>
      callJson(endpoints.push.replace(/\/beamery\/push$/, ''), 'POST', '/beamery/push', { contactIds: [contact.id] }, { authorization: `Bearer ${LOCAL_BEAMERY_PUSH_API_KEY}` });
    await push();
    const candidates = () => callJson<{ id: number; first_name: string; email_addresses: { value: string }[] }[]>(endpoints.greenhouse, 'GET', '/_admin/state?table=candidates');
    const created = await eventually(async () => (await candidates()).find((c) => c.email_addresses.some((e) => e.value === email)), 20_000, 'the pushed candidate');

    // Anonymized in Beamery (its API: the UI's action), then pushed again so the consumer reads it now.
    const settings = await callJson<{ credentials: { clientId: string; clientSecret: string } }>(endpoints.beamery, 'GET', '/_admin/settings');
    const { access_token } = await callJson<{ access_token: string }>(endpoints.beamery, 'POST', '/v1/oauth/token', settings.credentials);
    await callJson(endpoints.beamery, 'POST', `/v1/contact/${contact.id}/anonymize`, {}, { authorization: `Bearer ${access_token}` });
    await push();

    const dynamodb = localDynamoDbClient(stack.dynamodbEndpoint);
    try {
      // npm start names its tables by their ids.
      const idMap = new DynamoDbIdMap(dynamodb, 'id-map');
      await eventually(async () => ((await idMap.byGreenhouse(`greenhouse#candidate#${created.id}`))?.status === 'anonymized' ? true : undefined), 20_000, 'the link marked anonymized');
    } finally {
      dynamodb.destroy();
    }
    // Greenhouse is authoritative: its candidate keeps everything.
    const kept = (await candidates()).find((c) => c.id === created.id);
    expect(kept).toMatchObject({ first_name: 'Astrid' });
    expect(kept!.email_addresses.map((e) => e.value)).toEqual([email]);
  });
});

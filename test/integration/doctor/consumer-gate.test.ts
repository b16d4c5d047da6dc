import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '#core/doctor/report';
import { brokenCapabilitiesReader, DynamoDbDoctorReports } from '#adapters/doctor/doctor-store';
import { CapabilityBroken } from '#adapters/beamery/client';
import type { BeamerySimulator } from '#local/simulators/beamery/server';
import { readScenarioFile } from '#local/simulators/beamery/scenario';
import { DEFAULT_BEAMERY_SCENARIO_PATH } from '#local/simulators/beamery/paths';
import { startDynamoDbLocal, type DynamoDbLocal } from '#local/dynamodb-local';
import { createTables } from '#local/resources';
import { localDynamoDbClient } from '#local/sdk-clients';
import { calls, clientFor, startSimulator } from '../beamery/harness.ts';

/**
 * What the consumers do with the doctor's stored findings: an operation on a route the last report
 * convicted fails at once with CapabilityBroken, naming the check and its evidence, without calling
 * Beamery; other operations go on; a later report that passes clears it.
 */
describe('consumers stop on a capability the doctor found broken', () => {
  let ddb: DynamoDbLocal;
  let dynamodb: DynamoDBClient;
  let reports: DynamoDbDoctorReports;
  let sim: BeamerySimulator;

  beforeAll(async () => {
    ddb = await startDynamoDbLocal();
    dynamodb = localDynamoDbClient(ddb.endpoint);
    reports = new DynamoDbDoctorReports(dynamodb, (await createTables(dynamodb, 'gate-')).ledger, 'acme');
    sim = await startSimulator({ scenario: await readScenarioFile(DEFAULT_BEAMERY_SCENARIO_PATH) });
  });
  afterAll(async () => {
    await sim?.close();
    dynamodb?.destroy();
    await ddb?.stop();
  });

  const report = (status: 'ok' | 'fail'): DoctorReport => ({
    ranAt: '2026-12-03T10:00:00.000Z',
    writeTest: false,
    targets: { greenhouse: 'https://harvest.greenhouse.io', beamery: sim.url },
    checks: [
      { id: 'beamery.auth', status: 'ok', evidence: 'configured oauth' },
      { id: 'beamery.contact-read', status, evidence: 'GET /contact/{id} → 404 for 3 record(s) the listing holds', ...(status === 'fail' ? { capabilities: ['beamery.contactRead'] } : {}) },
    ],
  });

  it('refuses the convicted read without calling Beamery, keeps the rest working, and resumes once a report passes', async () => {
    let now = 0;
    const [listed] = (await clientFor(sim).listContactsUpdatedSince('1970-01-01T00:00:00.000Z')).items;
    await reports.save(report('fail'));
    const client = clientFor(sim, { doctorFindings: brokenCapabilitiesReader(reports, () => now, 60_000) });
    sim.requests.reset();

    const refused = await client.getContact(listed!.id).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CapabilityBroken);
    expect(refused).toMatchObject({ capability: 'contactRead', message: expect.stringMatching(/bridge doctor at 2026-12-03T10:00:00.000Z, check beamery.contact-read/) });
    expect(calls(sim, 'GET /v1/contact/:id')).toBe(0);
    // Listing does not depend on the convicted route.
    expect((await client.listContactsUpdatedSince('1970-01-01T00:00:00.000Z')).items.length).toBeGreaterThan(0);

    await reports.save(report('ok'));
    // Read at most once a minute per container: the old verdict stands until then.
    await expect(client.getContact(listed!.id)).rejects.toBeInstanceOf(CapabilityBroken);
    now += 60_000;
    expect((await client.getContact(listed!.id))?.id).toBe(listed!.id);
    expect(calls(sim, 'GET /v1/contact/:id')).toBe(1);
  });
});

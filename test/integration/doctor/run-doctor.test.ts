import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { brokenCapabilities, doctorExitCode, formatReport, type DoctorReport } from '#core/doctor/report';
import { DynamoDbDoctorReports } from '#adapters/doctor/doctor-store';
import { runDoctor } from '#adapters/doctor/run-doctor';
import { clearBeameryTokenCache } from '#adapters/beamery/client';
import { clearGreenhouseTokenCache } from '#adapters/greenhouse/token-cache';
import { ENV, readConfig } from '#lambdas/config';
import { tableDefinition } from '#lib/resource-definitions';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '#local/simulators/greenhouse/server';
import { STRICT_API_CONTRACT } from '#local/simulators/greenhouse/api-contract';
import { startDynamoDbLocal, type DynamoDbLocal } from '#local/dynamodb-local';
import { createTables } from '#local/resources';
import { localDynamoDbClient } from '#local/sdk-clients';
import { CREDENTIALS } from '../beamery/harness.ts';
import { startSyncHarness, type SyncHarness } from '../sync/candidate-harness.ts';

/**
 * `bridge doctor` end to end against both simulators and DynamoDB Local: it passes on the defaults,
 * and each simulator variant the configuration does not expect fails the check that names it.
 */
describe('bridge doctor against the simulators', () => {
  let ddb: DynamoDbLocal;
  let dynamodb: DynamoDBClient;
  let ledger: string;
  let h: SyncHarness;

  beforeAll(async () => {
    ddb = await startDynamoDbLocal();
    dynamodb = localDynamoDbClient(ddb.endpoint);
    ledger = (await createTables(dynamodb, 'doctor-')).ledger;
  });
  afterAll(async () => {
    dynamodb?.destroy();
    await ddb?.stop();
  });
  beforeEach(async () => {
    await h?.close();
    clearBeameryTokenCache();
    clearGreenhouseTokenCache();
    h = await startSyncHarness();
  });
  afterAll(async () => h?.close());

  const configFor = (env: Record<string, string> = {}) =>
    readConfig({
      [ENV.runtime]: 'local',
      [ENV.greenhouseApiBaseUrl]: h.greenhouse.sim.url,
      [ENV.greenhouseTokenUrl]: `${h.greenhouse.sim.url}/token`,
      [ENV.greenhouseClientId]: DEFAULT_CLIENT_ID,
      [ENV.greenhouseClientSecret]: DEFAULT_CLIENT_SECRET,
      [ENV.beameryBaseUrl]: h.beamery.url,
      [ENV.beameryClientId]: CREDENTIALS.clientId,
      [ENV.beameryClientSecret]: CREDENTIALS.clientSecret,
      [tableDefinition('ledger').nameEnv]: ledger,
      ...env,
    });
  const doctor = (options: { writeTest?: boolean; env?: Record<string, string> } = {}) =>
    runDoctor(configFor(options.env), { dynamodb, clock: h.greenhouse.clock }, { writeTest: options.writeTest ?? false });
  const failed = (report: DoctorReport) => report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
  const evidence = (report: DoctorReport, id: string) => report.checks.find((c) => c.id === id)?.evidence;

  it('passes on the default simulators with more than ten checks, and stores the report for the consumers', async () => {
    const report = await doctor();
    expect(failed(report), formatReport(report)).toEqual([]);
    expect(report.checks.filter((c) => c.status === 'ok').length).toBeGreaterThan(10);
    expect(doctorExitCode(report)).toBe(0);
    const stored = await new DynamoDbDoctorReports(dynamodb, ledger, 'default').latest();
    expect(stored).toEqual(report);
  });

  it('fails beamery.contact-read, naming the path the tenant does serve, and the consumers learn contactRead is broken', async () => {
    h.beamery.settings.update({ paths: { contactRead: '/contacts/{id}' } });
    const report = await doctor();
    expect(failed(report)).toEqual(['beamery.contact-read']);
    expect(evidence(report, 'beamery.contact-read')).toMatch(/GET \/contacts\/\{id\} answers 200/);
    expect([...brokenCapabilities(report).keys()]).toEqual(['beamery.contactRead']);
    expect(doctorExitCode(report)).toBe(1);
  });

  it('fails beamery.vacancy-read when vacancies live under the plural path', async () => {
    h.beamery.settings.update({ paths: { vacancy: '/vacancies' } });
    const report = await doctor();
    expect(failed(report)).toEqual(['beamery.vacancy-read']);
    expect([...brokenCapabilities(report).keys()]).toEqual(['beamery.vacancyRead', 'beamery.vacancyCreate', 'beamery.vacancyUpdate']);
  });

  it('fails beamery.auth with the setting that would work when the tenant serves only the other login', async () => {
    h.beamery.settings.update({ auth: 'basic' });
    const report = await doctor();
    expect(failed(report)).toEqual(['beamery.auth']);
    expect(evidence(report, 'beamery.auth')).toMatch(/set BEAMERY_AUTH=basic/);
    // The other checks ran with the login that works.
    expect(evidence(report, 'beamery.contact-read')).toMatch(/→ 200/);
    const fixed = await doctor({ env: { [ENV.beameryAuth]: 'basic' } });
    expect(failed(fixed)).toEqual([]);
  });

  it('tells the Greenhouse readings of rejection reasons apart', async () => {
    const before = evidence(await doctor(), 'greenhouse.rejection-details');
    await h.greenhouse.admin('PUT', '/settings', { apiContract: { rejectionReasons: 'rejection-details-only' } });
    const after = evidence(await doctor(), 'greenhouse.rejection-details');
    expect(before).toMatch(/applications also carry rejection_reason_id/);
    expect(after).toMatch(/applications carry no rejection_reason_id/);
  });

  it('with --write-test: creates, changes, reads back and anonymizes a throwaway prospect and contact, and says which write semantics the tenant follows', async () => {
    const lenient = await doctor({ writeTest: true });
    expect(failed(lenient), formatReport(lenient)).toEqual([]);
    const writes = lenient.checks.filter((c) => c.id.includes('.write.') || c.id.includes('.contract.')).map((c) => c.id);
    expect(writes).toEqual(expect.arrayContaining(['greenhouse.write.create-prospect', 'greenhouse.write.title', 'greenhouse.write.custom-field', 'greenhouse.write.tag', 'greenhouse.write.note', 'greenhouse.write.anonymize', 'beamery.write.create-contact', 'beamery.write.tag', 'beamery.write.greenhouse-id', 'beamery.write.note', 'beamery.write.anonymize']));
    expect(evidence(lenient, 'greenhouse.contract.custom-fields')).toMatch(/keeps the others/);
    expect(evidence(lenient, 'greenhouse.contract.clear-title')).toMatch(/null clears too/);

    await h.greenhouse.admin('PUT', '/settings', { apiContract: STRICT_API_CONTRACT });
    const strict = await doctor({ writeTest: true });
    expect(failed(strict), formatReport(strict)).toEqual([]);
    expect(evidence(strict, 'greenhouse.contract.custom-fields')).toMatch(/drops the others/);
    expect(evidence(strict, 'greenhouse.contract.clear-title')).toMatch(/null is refused/);
  });

  it('with --write-test: fails beamery.write.greenhouse-id when the tenant ignores writes to integrations, and passes once the id goes to a custom field', async () => {
    h.beamery.settings.update({ fields: { greenhouseId: 'ignored' } });
    expect(failed(await doctor({ writeTest: true }))).toEqual(['beamery.write.greenhouse-id']);
    const fixed = await doctor({ writeTest: true, env: { [ENV.beameryGreenhouseIdField]: 'customField:cf-greenhouse-id' } });
    expect(failed(fixed), formatReport(fixed)).toEqual([]);
  });
});

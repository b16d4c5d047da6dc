import { describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readConfig } from '#lambdas/config';
import { beameryClientFrom } from '#wiring/api-clients';

/** The Lambda environment chooses the Beamery login and field locations; unset keeps today's behaviour. */
describe('Beamery auth and field locations from the Lambda environment', () => {
  it('defaults to the oauth login, integrations.greenhouse.id and top-level consent', () => {
    expect(readConfig({}).beamery).toMatchObject({
      auth: 'oauth',
      greenhouseIdField: { kind: 'integrations' },
      consentStatusField: { kind: 'top-level' },
      consentDateField: { kind: 'top-level' },
    });
  });

  it('reads basic auth and custom-field locations', () => {
    const config = readConfig({
      BEAMERY_AUTH: 'basic',
      BEAMERY_GREENHOUSE_ID_FIELD: 'customField:0f4e-gh-id',
      BEAMERY_CONSENT_STATUS_FIELD: 'customField:cf-status',
      BEAMERY_CONSENT_DATE_FIELD: 'customField:cf-date',
    });
    expect(config.beamery).toMatchObject({
      auth: 'basic',
      greenhouseIdField: { kind: 'custom-field', fieldId: '0f4e-gh-id' },
      consentStatusField: { kind: 'custom-field', fieldId: 'cf-status' },
      consentDateField: { kind: 'custom-field', fieldId: 'cf-date' },
    });
  });

  it.each([
    ['BEAMERY_AUTH', 'token', 'auth'],
    ['BEAMERY_GREENHOUSE_ID_FIELD', 'customField:', 'greenhouseIdField'],
    ['BEAMERY_CONSENT_STATUS_FIELD', 'consentStatus', 'consentStatusField'],
  ])('refuses %s=%s, naming the key', (name, value, key) => {
    expect(() => readConfig({ [name]: value })).toThrow(key);
  });
});

describe('the Beamery client built from configuration', () => {
  it('writes and reads at the configured locations', () => {
    const config = readConfig({
      BRIDGE_RUNTIME: 'local',
      LEDGER_TABLE: 'ledger',
      BEAMERY_BASE_URL: 'http://127.0.0.1:9/v1',
      BEAMERY_CLIENT_ID: 'id',
      BEAMERY_CLIENT_SECRET: 'secret',
      BEAMERY_GREENHOUSE_ID_FIELD: 'customField:cf-gh',
      BEAMERY_CONSENT_DATE_FIELD: 'customField:cf-date',
    });
    const client = beameryClientFrom(config, { dynamodb: new DynamoDBClient({ region: 'eu-west-1' }) });
    expect(client.fieldLocations()).toEqual({
      greenhouseId: { kind: 'custom-field', fieldId: 'cf-gh' },
      consent: { status: { kind: 'top-level' }, date: { kind: 'custom-field', fieldId: 'cf-date' } },
    });
  });
});

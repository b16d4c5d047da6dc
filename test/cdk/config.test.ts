import { DEFAULT_MAX_FAILURES } from '#core/queue/redelivery';
import { DEFAULT_MODEL_ID } from '#core/ai/settings';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ANALYTICS_LOOKBACK_DAYS, DEFAULT_GREENHOUSE_ANONYMIZE_FIELDS, DEFAULT_PAYLOAD_CAP_BYTES, readConfig } from '#lambdas/config';
import { analyticsSettings } from '#core/analytics/settings';
import { MAX_PAYLOAD_CAP_BYTES, beameryEnvironment, loadStackConfig, parseStackConfig } from '#lib/config';
import { DEFAULT_MAX_RECEIVE_COUNT } from '#lib/resource-definitions';
import cdkJson from '../../cdk.json' with { type: 'json' };

const tempFile = (content: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'bridge-config-')), 'bridge.config.json');
  writeFileSync(path, content);
  return path;
};

describe('stack configuration', () => {
  it('defaults every key, taking shared defaults from resource-definitions and the Lambda config', () => {
    expect(parseStackConfig({})).toEqual({
      stackName: 'GreenhouseBeameryBridge',
      namePrefix: '',
      maxReceiveCount: DEFAULT_MAX_RECEIVE_COUNT,
      maxFailures: DEFAULT_MAX_FAILURES,
      messageAgeAlarmSeconds: 900,
      signatureFailureAlarmThreshold: 10,
      webhookPayloadCapBytes: DEFAULT_PAYLOAD_CAP_BYTES,
      logRetentionDays: 30,
      logLevel: 'INFO',
      api: { throttlingRateLimit: 50, throttlingBurstLimit: 100, manageAccountRole: false, methodMetrics: false },
      backup: { enabled: true, scheduleHourUtc: 5, retentionDays: 35 },
      waf: { enabled: true, rateLimitPerFiveMinutes: 3000 },
      // Unset: the SQS consumers take sync.maxConcurrency, the others stay unreserved (reservedConcurrencyOf).
      reservedConcurrency: {},
      nag: { packs: [] },
      rateBudget: { liveShare: 0.3 },
      beamery: {
        region: 'us',
        auth: 'oauth',
        greenhouseIdField: 'integrations',
        consentStatusField: 'top-level',
        consentDateField: 'top-level',
        profileTagsField: 'tags',
        vacancyFields: { department: 'department', managedBy: 'manager', sourcedBy: 'sourcer', privacy: 'visibility' },
      },
      sync: { blockPrivate: true, excludeConfidentialJobs: false, greenhouseAppUrl: 'https://app.greenhouse.io', anonymizationMode: 'bidirectional', deletionSweepHours: 24, copyAiNotes: false, maxConcurrency: 5 },
      beameryToGreenhouse: { pushTag: 'Add to Greenhouse', pollMinutes: 5, anonymizeFields: [...DEFAULT_GREENHOUSE_ANONYMIZE_FIELDS] },
      ai: expect.objectContaining({
        provider: 'bedrock',
        modelId: DEFAULT_MODEL_ID,
        auditRetentionDays: 365,
        // Off until the operator turns a workflow on, and then shadow (audit only) first.
        screening: expect.objectContaining({ enabled: false, mode: 'shadow', rolloutPercent: 100, scope: { allJobs: false, jobIds: [], departmentIds: [], officeIds: [], excludedJobIds: [] } }),
        feedback: expect.objectContaining({ enabled: false, mode: 'shadow' }),
      }),
      // Off: no bucket, function or schedule until the operator turns it on.
      aiDrift: { margin: 15, windowHours: 24, minSamples: 20 },
      analytics: { enabled: false, scheduleHourUtc: 3, lookbackDays: DEFAULT_ANALYTICS_LOOKBACK_DAYS, reportRetentionDays: 90, report: analyticsSettings() },
    });
  });

  it("ships cdk.json's context.bridge equal to the defaults", () => {
    expect(parseStackConfig(cdkJson.context.bridge)).toEqual(parseStackConfig({}));
  });

  it.each([
    ['an unknown key (a typo)', { maxRecieveCount: 3 }, 'maxRecieveCount'],
    ['an unknown nested key', { api: { rateLimit: 3 } }, 'rateLimit'],
    ['a malformed alarm email', { alarmEmail: 'ops' }, 'alarmEmail'],
    ['a retention CloudWatch Logs does not offer', { logRetentionDays: 31 }, 'logRetentionDays'],
    ['a prefix that is not a valid queue name part', { namePrefix: 'prod.' }, 'namePrefix'],
    ['a payload cap a quarantined body could not travel with', { webhookPayloadCapBytes: MAX_PAYLOAD_CAP_BYTES + 1 }, 'webhookPayloadCapBytes'],
    ['a zero maxReceiveCount', { maxReceiveCount: 0 }, 'maxReceiveCount'],
    ['a backup hour past 23', { backup: { scheduleHourUtc: 24 } }, 'scheduleHourUtc'],
    ['a backup kept no days', { backup: { retentionDays: 0 } }, 'retentionDays'],
    ['the old name of the API Gateway account role switch', { api: { createCloudWatchRole: true } }, 'createCloudWatchRole'],
    ['a Beamery poll slower than hourly', { beameryToGreenhouse: { pollMinutes: 90 } }, 'pollMinutes'],
    ['an empty anonymize field list', { beameryToGreenhouse: { anonymizeFields: [] } }, 'anonymizeFields'],
    ['a rollout over 100 percent', { ai: { screening: { rolloutPercent: 120 } } }, 'rolloutPercent'],
    ['an unknown AI mode', { ai: { feedback: { mode: 'autopilot' } } }, 'mode'],
    ['a misspelt AI key', { ai: { screening: { treshold: 40 } } }, 'treshold'],
    ['a Beamery auth variant it does not know', { beamery: { auth: 'apikey' } }, 'auth'],
    ['a Greenhouse id location that is neither integrations nor a custom field', { beamery: { greenhouseIdField: 'integrations.greenhouse' } }, 'greenhouseIdField'],
    ['a custom-field consent location without an id', { beamery: { consentStatusField: 'customField:' } }, 'consentStatusField'],
    ['a vacancy field name that is not a field name', { beamery: { vacancyFields: { managedBy: 'hiring manager' } } }, 'managedBy'],
    ['a report hour past 23', { analytics: { scheduleHourUtc: 24 } }, 'scheduleHourUtc'],
    ['a misspelt analytics threshold', { analytics: { report: { bottleneckMargn: 0.3 } } }, 'bottleneckMargn'],
    ['a bottleneck margin of zero', { analytics: { report: { bottleneckMargin: 0 } } }, 'bottleneckMargin'],
  ])('rejects %s, naming the key', (_what, raw, key) => {
    expect(() => parseStackConfig(raw)).toThrow(key);
  });

  it('passes the Beamery auth variant and field locations to the Lambdas as the variables the Lambda config reads', () => {
    const config = parseStackConfig({
      beamery: {
        region: 'eu',
        auth: 'basic',
        greenhouseIdField: 'customField:cf-gh',
        consentStatusField: 'customField:cf-cs',
        profileTagsField: 'profileTags',
        vacancyFields: { managedBy: 'hiringManager', privacy: 'none' },
      },
    });
    expect(beameryEnvironment(config)).toEqual({
      BEAMERY_REGION: 'eu',
      BEAMERY_AUTH: 'basic',
      BEAMERY_GREENHOUSE_ID_FIELD: 'customField:cf-gh',
      BEAMERY_CONSENT_STATUS_FIELD: 'customField:cf-cs',
      BEAMERY_CONSENT_DATE_FIELD: 'top-level',
      BEAMERY_PROFILE_TAGS_FIELD: 'profileTags',
      BEAMERY_VACANCY_DEPARTMENT_FIELD: 'department',
      BEAMERY_VACANCY_MANAGER_FIELD: 'hiringManager',
      BEAMERY_VACANCY_SOURCER_FIELD: 'sourcer',
      BEAMERY_VACANCY_PRIVACY_FIELD: 'none',
    });
    const lambda = readConfig(beameryEnvironment(config));
    expect(lambda.beamery).toMatchObject({
      region: 'eu',
      auth: 'basic',
      greenhouseIdField: { kind: 'custom-field', fieldId: 'cf-gh' },
      consentStatusField: { kind: 'custom-field', fieldId: 'cf-cs' },
      consentDateField: { kind: 'top-level' },
      profileTagsField: 'profileTags',
      // `none`: the field is not written.
      vacancyFields: { department: 'department', managedBy: 'hiringManager', sourcedBy: 'sourcer' },
    });
    expect(lambda.beamery.vacancyFields.privacy).toBeUndefined();
  });

  it('reads context.bridge, also when given on the command line as a JSON string', () => {
    const fromObject = new App({ context: { bridge: { namePrefix: 'dev-' } } });
    const fromString = new App({ context: { bridge: '{"namePrefix":"dev-"}' } });
    expect(loadStackConfig(fromObject).namePrefix).toBe('dev-');
    expect(loadStackConfig(fromString).namePrefix).toBe('dev-');
  });

  it('merges the configFile over context.bridge key by key', () => {
    const configFile = tempFile(JSON.stringify({ alarmEmail: 'ops@example.com', api: { throttlingRateLimit: 10 } }));
    const app = new App({ context: { configFile, bridge: { namePrefix: 'dev-', api: { throttlingBurstLimit: 20 } } } });
    expect(loadStackConfig(app)).toMatchObject({
      namePrefix: 'dev-',
      alarmEmail: 'ops@example.com',
      api: { throttlingRateLimit: 10, throttlingBurstLimit: 20, manageAccountRole: false },
    });
  });

  it('fails with the path when the configFile is missing or not JSON', () => {
    expect(() => loadStackConfig(new App({ context: { configFile: '/nonexistent/bridge.config.json' } }))).toThrow(
      '/nonexistent/bridge.config.json',
    );
    const broken = tempFile('{ not json');
    expect(() => loadStackConfig(new App({ context: { configFile: broken } }))).toThrow(broken);
  });
});

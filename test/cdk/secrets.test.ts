import { beforeAll, describe, expect, it } from 'vitest';
import { SECRET_DEFINITIONS } from '#lib/constructs/secrets';
import { logicalIdOf, synthBridge, type SynthesizedBridge } from './support.ts';

describe('secrets', () => {
  let bridge: SynthesizedBridge;

  beforeAll(() => {
    bridge = synthBridge();
  });

  it('creates the Greenhouse webhook key, the Harvest v3 credentials, the Beamery credentials, the identity-hash key and the push API key', () => {
    bridge.template.resourceCountIs('AWS::SecretsManager::Secret', 5);
    expect(SECRET_DEFINITIONS.map((s) => s.id).sort()).toEqual(['beamery', 'greenhouse-harvest', 'greenhouse-webhook']);
  });

  it('puts no value into the template: the operator sets every credential after deploy', () => {
    for (const { id } of SECRET_DEFINITIONS) {
      const secret = bridge.template.findResources('AWS::SecretsManager::Secret')[logicalIdOf(bridge.stack, bridge.stack.secrets.secret(id).secretArn)]!;
      expect(secret.Properties).not.toHaveProperty('SecretString');
      expect(secret.Properties).not.toHaveProperty('GenerateSecretString');
      expect(secret.Properties['Description']).toMatch(/\S/);
    }
  });

  it('has Secrets Manager generate the identity-hash key at deploy, so no one ever sees or sets it', () => {
    const key = bridge.template.findResources('AWS::SecretsManager::Secret')[logicalIdOf(bridge.stack, bridge.stack.secrets.identityHashKey.secretArn)]!;
    expect(key.Properties).not.toHaveProperty('SecretString');
    expect(key.Properties['GenerateSecretString']).toMatchObject({ PasswordLength: 64, ExcludePunctuation: true });
  });

  it('has Secrets Manager generate the push API key at deploy (letters and digits, safe in a header) and outputs its ARN', () => {
    const logicalId = logicalIdOf(bridge.stack, bridge.stack.secrets.beameryPushApiKey.secretArn);
    const key = bridge.template.findResources('AWS::SecretsManager::Secret')[logicalId]!;
    expect(key.Properties).not.toHaveProperty('SecretString');
    expect(key.Properties['GenerateSecretString']).toMatchObject({ PasswordLength: 64, ExcludePunctuation: true });
    expect(key.Properties['Description']).toMatch(/beamery\/push/);
    const outputs = bridge.template.toJSON()['Outputs'] as Record<string, { Value: unknown }>;
    expect(outputs['BeameryPushApiKeySecretArn']?.Value).toEqual({ Ref: logicalId });
  });

  it('outputs the ARN of each secret, for put-secret-value', () => {
    const outputs = bridge.template.toJSON()['Outputs'] as Record<string, { Value: unknown }>;
    const outputFor = {
      'greenhouse-webhook': 'GreenhouseWebhookSecretArn',
      'greenhouse-harvest': 'GreenhouseHarvestCredentialsArn',
      beamery: 'BeameryCredentialsArn',
    } as const;
    for (const { id } of SECRET_DEFINITIONS) {
      const logicalId = logicalIdOf(bridge.stack, bridge.stack.secrets.secret(id).secretArn);
      expect(outputs[outputFor[id]]?.Value).toEqual({ Ref: logicalId });
    }
  });
});

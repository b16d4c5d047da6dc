import { Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export type BridgeSecretId = 'greenhouse-webhook' | 'greenhouse-harvest' | 'beamery';

interface SecretDefinition {
  readonly id: BridgeSecretId;
  readonly constructId: string;
  /** Shown in the console next to the secret: what the operator must store in it. */
  readonly description: string;
}

export const SECRET_DEFINITIONS: readonly SecretDefinition[] = [
  {
    id: 'greenhouse-webhook',
    constructId: 'GreenhouseWebhookSecret',
    description:
      'Greenhouse webhook secret key, as a plain string: the "Secret key" entered for the bridge web hooks in Greenhouse Dev Center.',
  },
  {
    id: 'greenhouse-harvest',
    constructId: 'GreenhouseHarvestCredentials',
    description: 'Greenhouse Harvest v3 OAuth client credentials, as JSON {"clientId":"...","clientSecret":"..."}.',
  },
  {
    id: 'beamery',
    constructId: 'BeameryCredentials',
    description: 'Beamery API client credentials, as JSON {"clientId":"...","clientSecret":"..."}.',
  },
];

/**
 * Secrets whose values come from the operator after deploy (docs/configuration.md), never from the
 * template: each is created empty, without a version, so nothing in CloudFormation or a first read can
 * be mistaken for a real credential, and a Lambda that starts before the value is set fails loudly.
 */
export class BridgeSecrets extends Construct {
  private readonly byId = new Map<BridgeSecretId, secretsmanager.Secret>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const definition of SECRET_DEFINITIONS) {
      const secret = new secretsmanager.Secret(this, definition.constructId, { description: definition.description });
      // The L2 construct always asks Secrets Manager to generate a random value; an empty secret is the honest state.
      (secret.node.defaultChild as secretsmanager.CfnSecret).addPropertyDeletionOverride('GenerateSecretString');
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'Greenhouse and Beamery have no API to issue a new client secret or webhook key, and neither is a Secrets Manager managed-rotation partner; rotation is a manual step in their consoles followed by put-secret-value (docs/configuration.md).',
      });
      this.byId.set(definition.id, secret);
    }
  }

  secret(id: BridgeSecretId): secretsmanager.ISecret {
    const found = this.byId.get(id);
    if (!found) throw new Error(`no secret ${id}`);
    return found;
  }
}

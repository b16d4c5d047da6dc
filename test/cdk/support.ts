import { App, Validations, type Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { Template } from 'aws-cdk-lib/assertions';
import { BridgeStack } from '#lib/bridge-stack';
import type { BridgeSecrets } from '#lib/constructs/secrets';
import { loadStackConfig, type StackConfig } from '#lib/config';

export interface SynthOptions {
  /** `context.bridge`, as cdk.json would carry it. */
  readonly bridge?: Record<string, unknown>;
  /**
   * Run esbuild for the Lambda bundles. Off by default: the template is the same apart from the asset
   * hash, and only the tests about the bundle itself need one.
   */
  readonly bundle?: boolean;
}

export interface SynthesizedBridge {
  readonly app: App;
  readonly stack: BridgeStack;
  readonly config: StackConfig;
  readonly template: Template;
}

export function synthBridge({ bridge = {}, bundle = false }: SynthOptions = {}): SynthesizedBridge {
  const app = new App({ context: { bridge, ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) } });
  const config = loadStackConfig(app);
  const stack = new BridgeStack(app, 'Bridge', { config });
  return { app, stack, config, template: Template.fromStack(stack) };
}

/** The logical id behind a construct attribute (`{ Ref }` or `{ Fn::GetAtt }`) in the template. */
export function logicalIdOf(stack: Stack, token: unknown): string {
  const value = stack.resolve(token) as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  const id = value.Ref ?? value['Fn::GetAtt']?.[0];
  if (!id) throw new Error(`not a reference: ${JSON.stringify(value)}`);
  return id;
}

/** The statement active tracing adds to every function's role: the one wildcard resource a role may hold. */
export const XRAY_WRITE_STATEMENT = {
  Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
  Effect: 'Allow',
  Resource: '*',
} as const;

/** A role's statements without the X-Ray one (asserted on its own), for the tests of what a function may touch. */
export function withoutXrayWrite<S>(statements: readonly S[]): S[] {
  return statements.filter((s) => JSON.stringify(s) !== JSON.stringify(XRAY_WRITE_STATEMENT));
}

/** The statement a secret reader gets besides GetSecretValue: decrypt with the secrets key, through Secrets Manager only. */
export function secretsKeyDecryptStatement(stack: Stack, secrets: BridgeSecrets = (stack as BridgeStack).secrets): Record<string, unknown> {
  return {
    Action: 'kms:Decrypt',
    Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
    Effect: 'Allow',
    Resource: { 'Fn::GetAtt': [logicalIdOf(stack, secrets.key.keyArn), 'Arn'] },
  };
}

export interface Acknowledgement {
  /** The rule id as cdk-nag reports it: `AwsSolutions-IAM5[Resource::*]`, `Serverless-LambdaDLQ`. */
  readonly id: string;
  readonly reason: unknown;
  /** The construct it is attached to (and so covers, with what that construct contains). */
  readonly path: string;
}

/** Every cdk-nag acknowledgement under `scope`, where it is attached. */
export function acknowledgementsIn(scope: IConstruct): Acknowledgement[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, unknown>).map(([qualifiedId, reason]) => ({
          id: qualifiedId.replace(/^annotation::/i, ''),
          reason,
          path: construct.node.path,
        })),
      ),
  );
}

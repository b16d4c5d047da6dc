import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BridgeStack } from '#lib/bridge-stack';
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
export function logicalIdOf(stack: BridgeStack, token: unknown): string {
  const value = stack.resolve(token) as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  const id = value.Ref ?? value['Fn::GetAtt']?.[0];
  if (!id) throw new Error(`not a reference: ${JSON.stringify(value)}`);
  return id;
}

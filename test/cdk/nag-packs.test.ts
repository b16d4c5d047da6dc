import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import type { NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseStackConfig } from '#lib/config';
import { BridgeFunction, REPO_ROOT } from '#lib/constructs/bridge-function';
import { ALWAYS_ON_PACKS, OPTIONAL_PACKS, RULE_PACKS, nagPack, nagPacksToRun, type NagPackName } from '#lib/nag/packs';
import { acknowledgementsIn, logicalIdOf, synthBridge, type SynthesizedBridge } from './support.ts';

const ALL_PACKS: readonly NagPackName[] = [...ALWAYS_ON_PACKS, ...OPTIONAL_PACKS];

interface Finding {
  readonly rule: string;
  readonly path: string;
}

function findings(pack: NagPack, scope: IConstruct): Finding[] {
  return pack.validateScope(scope).violations.flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? '' })));
}

/** What the pack finds with every acknowledgement ignored: the findings the stack's decisions answer. */
function findingsBeforeAcknowledgement(name: NagPackName, scope: IConstruct): Finding[] {
  const pack = nagPack(name);
  // isAcknowledged is TypeScript-private in cdk-nag; replacing it on this one instance is the only way to see the raw findings.
  Object.defineProperty(pack, 'isAcknowledged', { value: () => false });
  return findings(pack, scope);
}

/** The rule names a pack applies (each pack checks every rule on every resource). */
function rulesOf(name: NagPackName, scope: IConstruct): Set<string> {
  const pack = nagPack(name) as unknown as { applyRule(params: { rule: { name: string }; ruleSuffixOverride?: string }): void };
  const applied = new Set<string>();
  const original = pack.applyRule.bind(pack);
  pack.applyRule = (params) => {
    applied.add(params.ruleSuffixOverride ?? params.rule.name);
    original(params);
  };
  (pack as unknown as NagPack).validateScope(scope);
  return applied;
}

const countByRule = (list: readonly Finding[]) =>
  Object.fromEntries([...Map.groupBy(list, (f) => f.rule)].map(([rule, found]) => [rule, found.length]).sort(([a], [b]) => String(a).localeCompare(String(b))));

describe('cdk-nag Serverless, NIST 800-53 R5 and HIPAA Security packs', () => {
  let defaults: SynthesizedBridge;
  let everything: SynthesizedBridge;

  beforeAll(() => {
    defaults = synthBridge();
    everything = synthBridge({
      bridge: { alarmEmail: 'ops@example.com', analytics: { enabled: true }, ai: { rediscovery: { enabled: true } } },
    });
  });

  it('runs AwsSolutions and Serverless on every synth, and NIST 800-53 R5 or HIPAA Security when nag.packs names them', () => {
    expect(nagPacksToRun([])).toEqual(['AwsSolutions', 'Serverless']);
    expect(nagPacksToRun(['HIPAA.Security', 'NIST.800.53.R5'])).toEqual(['AwsSolutions', 'Serverless', 'NIST.800.53.R5', 'HIPAA.Security']);
    expect(parseStackConfig({ nag: { packs: ['NIST.800.53.R5'] } }).nag.packs).toEqual(['NIST.800.53.R5']);
    expect(() => parseStackConfig({ nag: { packs: ['PCI.DSS.321'] } })).toThrow(/nag\.packs/);
  });

  it.each(ALL_PACKS)('%s: no unacknowledged finding with the defaults or with every feature on', (name) => {
    expect(findings(nagPack(name), defaults.app)).toEqual([]);
    expect(findings(nagPack(name), everything.app)).toEqual([]);
  });

  it.each(ALL_PACKS)('%s: no unacknowledged finding with WAF, backups and the account role switched the other way, or every function reserved', (name) => {
    const flipped = synthBridge({ bridge: { waf: { enabled: false }, backup: { enabled: false }, api: { manageAccountRole: true } } });
    expect(findings(nagPack(name), flipped.app)).toEqual([]);
    const reserved = synthBridge({
      bridge: { reservedConcurrency: { greenhouseSync: 5, beamerySync: 5, aiTasks: 5, ingest: 20, push: 5, poller: 2, pipelineReport: 1 }, analytics: { enabled: true } },
    });
    expect(findings(nagPack(name), reserved.app)).toEqual([]);
  });

  it('counts the findings each pack has before acknowledgement, by rule, with the defaults', () => {
    const counts = Object.fromEntries(ALL_PACKS.map((name) => [name, countByRule(findingsBeforeAcknowledgement(name, defaults.app))]));
    // Six functions (ingest, push, the two sync consumers, the poller, the AI consumer), seven roles
    // with an inline policy (theirs and Scheduler's), four dead-letter queues, five secrets, one table
    // outside the backup plan, one API stage. docs/security.md explains each.
    expect(counts['Serverless']).toEqual({
      'Serverless-LambdaDLQ': 6,
      'Serverless-LambdaEventSourceMappingDestination': 3,
      'Serverless-SQSRedrivePolicy': 4,
    });
    const regulated = (prefix: string) => ({
      [`${prefix}-APIGWCacheEnabledAndEncrypted`]: 1,
      [`${prefix}-APIGWSSLEnabled`]: 1,
      [`${prefix}-DynamoDBInBackupPlan`]: 1,
      [`${prefix}-IAMNoInlinePolicy`]: 7,
      [`${prefix}-LambdaConcurrency`]: 6,
      [`${prefix}-LambdaDLQ`]: 6,
      [`${prefix}-LambdaInsideVPC`]: 6,
      [`${prefix}-SecretsManagerRotationEnabled`]: 5,
    });
    expect(counts['NIST.800.53.R5']).toEqual(regulated('NIST.800.53.R5'));
    expect(counts['HIPAA.Security']).toEqual(regulated('HIPAA.Security'));
    // AwsSolutions: the findings docs/security.md lists for its pack.
    expect([...new Set(Object.keys(counts['AwsSolutions']!).map((rule) => rule.replace(/\[.*$/, '')))].sort()).toEqual(
      ['AwsSolutions-APIG2', 'AwsSolutions-APIG4', 'AwsSolutions-COG4', 'AwsSolutions-IAM4', 'AwsSolutions-IAM5', 'AwsSolutions-SMG4', 'AwsSolutions-SQS3'].sort(),
    );
  });

  it('acknowledges a rule only in packs that have it, and every such rule of the packs where it is listed', () => {
    for (const [rule, packs] of Object.entries(RULE_PACKS)) {
      for (const name of ALL_PACKS) {
        expect(rulesOf(name, defaults.app).has(rule), `${name}-${rule}`).toBe((packs as readonly string[]).includes(name));
      }
    }
  });

  it('acknowledges each cross-pack finding on the construct it concerns, with a reason docs/security.md gives', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs/security.md'), 'utf8');
    const crossPack = acknowledgementsIn(everything.app).filter((a) => !a.id.startsWith('AwsSolutions-'));
    expect(crossPack.length).toBeGreaterThan(0);
    for (const { id, reason, path } of crossPack) {
      expect(path, id).not.toBe(everything.stack.node.path);
      expect(String(reason).length, `${id} at ${path}`).toBeGreaterThan(60);
      expect(doc, id).toContain(`\`${id.replace(/^[^-]+-/, '')}\``);
    }
    for (const name of ALL_PACKS) expect(doc).toContain(name);
  });

  it('says per function what it reaches and how it is invoked, and the invocations are what the reasons say', () => {
    const functions = everything.app.node.findAll().filter((c): c is BridgeFunction => c instanceof BridgeFunction);
    const resources = everything.template.toJSON()['Resources'] as Record<string, { Type: string; Properties: Record<string, unknown> }>;
    for (const fn of functions) {
      const ids = acknowledgementsIn(fn).filter((a) => a.path === fn.function.node.path);
      const vpc = ids.find((a) => a.id === 'NIST.800.53.R5-LambdaInsideVPC');
      expect(String(vpc?.reason), fn.node.path).toMatch(/connects only to .*(Greenhouse|AWS)/);
      const dlq = String(ids.find((a) => a.id === 'Serverless-LambdaDLQ')?.reason);
      const functionId = logicalIdOf(everything.stack, fn.function.functionArn);
      const refersToFunction = (r: { Properties: Record<string, unknown> }) => JSON.stringify(r.Properties).includes(`"${functionId}"`);
      const mappings = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping' && refersToFunction(r));
      const asyncConfigs = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::EventInvokeConfig' && refersToFunction(r));
      if (dlq.includes('SQS event source')) {
        expect(mappings, fn.node.path).toHaveLength(1);
        expect(asyncConfigs).toHaveLength(0);
      } else if (dlq.includes('EventBridge Scheduler')) {
        expect(asyncConfigs.map((c) => Object.keys((c.Properties['DestinationConfig'] as { OnFailure: object }).OnFailure))).toEqual([['Destination']]);
      } else {
        expect(dlq).toMatch(/API Gateway/);
        expect(mappings).toHaveLength(0);
        expect(asyncConfigs).toHaveLength(0);
      }
    }
  });

  it('acknowledges LambdaConcurrency only for functions without a configured reservation', () => {
    const bridge = synthBridge({ bridge: { reservedConcurrency: { ingest: 20 } } });
    const concurrency = acknowledgementsIn(bridge.app).filter((a) => a.id === 'NIST.800.53.R5-LambdaConcurrency').map((a) => a.path);
    expect(concurrency).toHaveLength(5);
    expect(concurrency).not.toContain(bridge.stack.webhookApi.ingest.function.node.path);
    expect(concurrency).toContain(bridge.stack.pushApi.push.function.node.path);
  });

  it('lets synth with every pack registered succeed, as `cdk synth` with nag.packs does', () => {
    const { app } = synthBridge();
    Validations.of(app).addPlugins(...ALL_PACKS.map((name) => nagPack(name, app)));
    expect(app.synth({ force: true }).stacks).toHaveLength(1);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { TABLES, type KeyAttribute, type TableDefinition } from '#lib/resource-definitions';
import { logicalIdOf, synthBridge, type SynthesizedBridge } from './support.ts';

interface TableResource {
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

const keySchema = (partitionKey: KeyAttribute, sortKey?: KeyAttribute) => [
  { AttributeName: partitionKey.name, KeyType: 'HASH' },
  ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' }] : []),
];

/** Every attribute a key of the table or of one of its indexes uses, as DynamoDB must be told. */
function keyAttributes(definition: TableDefinition) {
  const keys = [definition.partitionKey, definition.sortKey, ...definition.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  const unique = new Map(keys.filter((k): k is KeyAttribute => k !== undefined).map((k) => [k.name, k.type]));
  return [...unique].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

describe('tables', () => {
  let bridge: SynthesizedBridge;
  const tableOf = (definition: TableDefinition): TableResource => {
    const logicalId = logicalIdOf(bridge.stack, bridge.stack.tables.table(definition.id).tableName);
    return bridge.template.toJSON()['Resources'][logicalId] as TableResource;
  };

  beforeAll(() => {
    bridge = synthBridge();
  });

  it('creates exactly the tables of TABLES', () => {
    bridge.template.resourceCountIs('AWS::DynamoDB::Table', TABLES.length);
  });

  it.each(TABLES.map((t) => [t.id, t] as const))('%s has the keys, indexes and TTL of its definition', (_id, definition) => {
    const { Properties } = tableOf(definition);
    expect(Properties['KeySchema']).toEqual(keySchema(definition.partitionKey, definition.sortKey));
    expect(Properties['AttributeDefinitions']).toEqual(expect.arrayContaining(keyAttributes(definition)));
    expect(Properties['AttributeDefinitions']).toHaveLength(keyAttributes(definition).length);
    expect(Properties['GlobalSecondaryIndexes'] ?? []).toEqual(
      definition.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: keySchema(index.partitionKey, index.sortKey),
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    expect(Properties['TimeToLiveSpecification']).toEqual(
      definition.timeToLiveAttribute ? { AttributeName: definition.timeToLiveAttribute, Enabled: true } : undefined,
    );
  });

  it.each(TABLES.map((t) => [t.id, t] as const))('%s is on-demand, point-in-time recoverable, encrypted and retained', (_id, definition) => {
    const table = tableOf(definition);
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: true,
    });
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });

  it("hands each table's name to Lambdas under the definition's nameEnv", () => {
    const environment = bridge.stack.tables.environmentFor(TABLES.map((t) => t.id));
    expect(Object.keys(environment).sort()).toEqual(TABLES.map((t) => t.nameEnv).sort());
  });
});

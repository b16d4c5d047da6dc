import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLES, type KeyAttribute, type TableDefinition, type TableId } from '#lib/resource-definitions';

/**
 * The bridge's DynamoDB tables, built from TABLES so keys, indexes and TTL attributes match the local
 * stack exactly. Names are left to CloudFormation; Lambdas learn them from each definition's nameEnv.
 */
export class BridgeTables extends Construct {
  private readonly byId = new Map<TableId, dynamodb.Table>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const definition of TABLES) this.byId.set(definition.id, buildTable(this, definition));
  }

  /** Every table's id, in TABLES order. */
  get ids(): readonly TableId[] {
    return [...this.byId.keys()];
  }

  table(id: TableId): dynamodb.ITable {
    const found = this.byId.get(id);
    if (!found) throw new Error(`no table ${id}`);
    return found;
  }

  /** The `nameEnv` → table name pairs for a Lambda that uses the given tables. */
  environmentFor(ids: readonly TableId[]): Record<string, string> {
    return Object.fromEntries(
      TABLES.filter((t) => ids.includes(t.id)).map((t) => [t.nameEnv, this.table(t.id).tableName]),
    );
  }
}

function buildTable(scope: Construct, definition: TableDefinition): dynamodb.Table {
  const table = new dynamodb.Table(scope, constructId(definition.id), {
    partitionKey: attribute(definition.partitionKey),
    ...(definition.sortKey ? { sortKey: attribute(definition.sortKey) } : {}),
    ...(definition.timeToLiveAttribute ? { timeToLiveAttribute: definition.timeToLiveAttribute } : {}),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    // The IdMap and Ledger are the only record of which Greenhouse and Beamery ids belong together;
    // losing them on a stack delete or replacement would mean re-matching every candidate by hand.
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
  });
  for (const index of definition.globalSecondaryIndexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: attribute(index.partitionKey),
      ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
  return table;
}

function attribute(key: KeyAttribute): dynamodb.Attribute {
  return { name: key.name, type: key.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER };
}

/** `id-map` → `IdMapTable`: stable logical ids, so a rename in the definition is a visible diff. */
function constructId(id: TableId): string {
  return `${id.split('-').map((part) => part[0]!.toUpperCase() + part.slice(1)).join('')}Table`;
}

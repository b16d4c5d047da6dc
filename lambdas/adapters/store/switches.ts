import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_SWITCH_CACHE_SECONDS, SWITCHABLE, targetsOf, type SwitchTarget, type Switchable } from '#core/queue/pause';
import { requireTableName, type BridgeConfig } from '#lambdas/config';

/**
 * The operator's pause switches (`bridge pause|resume`), one Ledger item per tenant: what a consumer
 * or poller reads before it works, so pausing takes no deploy. A paused consumer hands its batch back
 * to wait (lambdas/handlers/fifo-consumer.ts), a paused poller skips its run and keeps its watermark.
 */
export const switchKey = (tenant: string) => ({ pk: `switch#${tenant}`, sk: 'switch' });

export interface PauseState {
  /** When each paused flow was paused (ISO-8601); a flow not listed runs. */
  readonly paused: Partial<Record<Switchable, string>>;
}

export class DynamoDbSwitches {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly tenant: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(client);
  }

  async read(): Promise<PauseState> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: switchKey(this.tenant), ConsistentRead: true }));
    const paused: Partial<Record<Switchable, string>> = {};
    for (const flow of SWITCHABLE) {
      const at = (Item?.['paused'] as Record<string, unknown> | undefined)?.[flow];
      if (typeof at === 'string') paused[flow] = at;
    }
    return { paused };
  }

  /** Pauses or resumes the target's flows in one write; returns the state after it. */
  async set(target: SwitchTarget, pause: boolean, at: Date): Promise<PauseState> {
    const flows = targetsOf(target);
    const names = Object.fromEntries(flows.map((flow, i) => [`#f${i}`, flow]));
    if (pause) {
      // The map first, so the members set next have a parent to land in; an earlier pause time is kept.
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: switchKey(this.tenant),
          UpdateExpression: 'SET #paused = if_not_exists(#paused, :empty)',
          ExpressionAttributeNames: { '#paused': 'paused' },
          ExpressionAttributeValues: { ':empty': {} },
        }),
      );
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: switchKey(this.tenant),
          UpdateExpression: `SET ${flows.map((_, i) => `#paused.#f${i} = if_not_exists(#paused.#f${i}, :at)`).join(', ')}`,
          ExpressionAttributeNames: { '#paused': 'paused', ...names },
          ExpressionAttributeValues: { ':at': at.toISOString() },
        }),
      );
    } else {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: switchKey(this.tenant),
          UpdateExpression: `REMOVE ${flows.map((_, i) => `#paused.#f${i}`).join(', ')}`,
          ExpressionAttributeNames: { '#paused': 'paused', ...names },
          ConditionExpression: 'attribute_exists(#paused)',
        }),
      ).catch((error: unknown) => {
        // Nothing was ever paused: resuming is already true.
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      });
    }
    return this.read();
  }
}

/** What a consumer or poller is given: whether its flow is paused, and how long paused work waits. */
export interface PauseSwitch {
  readonly isPaused: () => Promise<boolean>;
  /** A paused batch's wait before it is tried again: as long as the switch is cached, so a resume is seen on return. */
  readonly waitSeconds: number;
}

/** The switch of one flow, on the Ledger table of the configuration. */
export function pauseSwitchFrom(config: BridgeConfig, dynamodb: DynamoDBClient, flow: Switchable): PauseSwitch {
  const cacheSeconds = config.switchCacheSeconds;
  return { isPaused: pausedCheck(new DynamoDbSwitches(dynamodb, requireTableName(config, 'ledger'), config.tenant), flow, { cacheSeconds }), waitSeconds: Math.max(1, cacheSeconds) };
}

/**
 * Whether one flow is paused, read at most once per `cacheSeconds` per container: a Ledger read per
 * batch would cost more than the switch is worth. A failed read counts as running: the switch is an
 * operator's brake, and an unreadable Ledger fails the work itself soon enough.
 */
export function pausedCheck(
  switches: Pick<DynamoDbSwitches, 'read'>,
  flow: Switchable,
  options: { readonly cacheSeconds?: number; readonly now?: () => number } = {},
): () => Promise<boolean> {
  const cacheMs = (options.cacheSeconds ?? DEFAULT_SWITCH_CACHE_SECONDS) * 1000;
  const now = options.now ?? Date.now;
  let cached: { value: boolean; at: number } | undefined;
  return async () => {
    if (cached && now() - cached.at < cacheMs) return cached.value;
    const value = await switches.read().then(
      (state) => state.paused[flow] !== undefined,
      () => false,
    );
    cached = { value, at: now() };
    return value;
  };
}

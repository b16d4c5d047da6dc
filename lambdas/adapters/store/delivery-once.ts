import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import type { DeliveryOnce } from '#core/ports/delivery-once';
import { IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyPersistenceLayerError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';

/**
 * Greenhouse retries a delivery it did not see answered 200 for about 15 h 16 min (docs/reference
 * §5.4: gaps of 1, 15, 60, 120, 240 and 480 minutes), with the same Greenhouse-Event-ID, while SQS
 * FIFO deduplicates for five minutes only. A record kept for two days outlasts that schedule three
 * times over, so a late retry (or one after a support-configured longer schedule) still finds it.
 */
export const DELIVERY_RECORD_SECONDS = 48 * 60 * 60;

/**
 * Without a Lambda context (unit tests, scripts), how long an in-progress record blocks a repeat:
 * the ingest function's timeout, so a process that died mid-publish does not hold a delivery back
 * for the record's whole lifetime.
 */
const IN_PROGRESS_WITHOUT_CONTEXT_MS = 10_000;

/** Prefix of the stored keys: stable, unlike the generated function name Powertools uses by default. */
const KEY_PREFIX = 'greenhouse-delivery';

export interface DynamoDbDeliveryOnceOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Tests shorten it; production keeps DELIVERY_RECORD_SECONDS. */
  readonly recordSeconds?: number;
}

/** DeliveryOnce on the idempotency table, with Powertools idempotency (its default table layout). */
export function dynamoDbDeliveryOnce({ client, tableName, recordSeconds = DELIVERY_RECORD_SECONDS }: DynamoDbDeliveryOnceOptions): DeliveryOnce {
  const config = new IdempotencyConfig({ eventKeyJmesPath: 'key', expiresAfterSeconds: recordSeconds, throwOnNoIdempotencyKey: true });
  const persistenceStore = new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client });
  const publishRecorded = makeIdempotent(
    async (_input: { key: string }, publish: () => Promise<void>): Promise<{ published: true }> => {
      await publish();
      return { published: true };
    },
    { persistenceStore, config, keyPrefix: KEY_PREFIX },
  );
  const withoutContext = { getRemainingTimeInMillis: () => IN_PROGRESS_WITHOUT_CONTEXT_MS };

  return {
    async publishOnce(key, publish, context) {
      let attempted = false;
      let published = false;
      const tracked = async () => {
        attempted = true;
        await publish();
        published = true;
      };
      // Sets the in-progress record's expiry to the invocation's deadline, as the Powertools docs ask:
      // a record left by a timed-out invocation then stops blocking Greenhouse's next retry.
      // Powertools reads only getRemainingTimeInMillis from it, all the port asks of a context.
      config.registerLambdaContext((context ?? withoutContext) as Context);
      try {
        await publishRecorded({ key }, tracked);
        return published ? { outcome: 'published' } : { outcome: 'duplicate' };
      } catch (error) {
        if (error instanceof IdempotencyAlreadyInProgressError) return { outcome: 'in-progress' };
        // The publish itself failed: Powertools has deleted the in-progress record (or its delete
        // failed, and the record lapses at the invocation's deadline), so Greenhouse's retry publishes.
        if (attempted && !published) throw error;
        // The idempotency table failed. Fail open: the record only saves duplicate work (every
        // consumer reconciles idempotently), while refusing would make ingest depend on DynamoDB and
        // hold deliveries back, and past Greenhouse's 15 hours lose them. Publish unless already done.
        if (!attempted) await publish();
        // Powertools wraps DynamoDB's error; its name (a throttle, a missing table) is what an operator needs.
        return { outcome: 'unrecorded', storeError: error instanceof IdempotencyPersistenceLayerError && error.cause ? error.cause : error };
      }
    },
  };
}

/**
 * No deduplication beyond SQS's five minutes: every call publishes. For unit tests of the handler and
 * for the benchmark's baseline, never for a deployed function.
 */
export const publishEveryTime: DeliveryOnce = {
  async publishOnce(_key, publish) {
    await publish();
    return { outcome: 'published' };
  },
};

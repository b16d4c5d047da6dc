import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './defaults.ts';

/** SDK clients for the emulators: fixed region and dummy credentials, so no real AWS profile is ever read. */
export function localSqsClient(endpoint: string, config: SQSClientConfig = {}): SQSClient {
  return new SQSClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint, ...config });
}

export function localDynamoDbClient(endpoint: string, config: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint, ...config });
}

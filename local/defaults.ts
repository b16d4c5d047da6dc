/**
 * Values the local stack and its tools share, so `npm start` and `npm run webhook` agree without
 * configuration. None of them is a secret: the local stack never talks to a real AWS account.
 */

/** Signs and verifies webhooks on the local stack; a real Greenhouse secret lives in Secrets Manager. */
export const LOCAL_WEBHOOK_SECRET = 'local-webhook-secret';

export const DEFAULT_WEBHOOK_PORT = 3000;
/** LocalStack's customary port, so AWS CLI habits (`--endpoint-url http://localhost:4566`) carry over. */
export const DEFAULT_SQS_PORT = 4566;
export const DEFAULT_DYNAMODB_PORT = 8000;

export const WEBHOOK_PATH = '/webhooks/greenhouse';
/** `POST /beamery/push` (lib/constructs/push-api.ts), served by the same local API Gateway. */
export const BEAMERY_PUSH_PATH = '/beamery/push';

/** The push route's API key on the local stack (BEAMERY_PUSH_API_KEY overrides it); on AWS the stack generates one. */
export const LOCAL_BEAMERY_PUSH_API_KEY = 'local-beamery-push-api-key';

export const LOCAL_REGION = 'us-east-1';
/** The emulators accept any credentials; fixed ones keep the SDK from searching for a real profile. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

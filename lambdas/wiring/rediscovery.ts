import { S3VectorsClient } from '@aws-sdk/client-s3vectors';
import { offlineEmbedder } from '#core/ai/rediscovery/offline-embedder';
import type { Embedder, VectorIndex } from '#core/ai/rediscovery/ports';
import type { AiSettings } from '#core/ai/settings';
import { S3VectorsIndex } from '#adapters/ai/s3-vectors-index';
import { createBedrockEmbedder } from '#adapters/bedrock/bedrock-embedder';
import { bedrockRuntimeClient } from '#adapters/bedrock/runtime-client';
import { NO_TRACING, type CallTracing } from '#adapters/tracing';
import { ENV, type BridgeConfig } from '#lambdas/config';

export interface RediscoveryPorts {
  readonly embedder: Embedder;
  readonly index: VectorIndex;
}

/**
 * Candidate rediscovery's embedder and vector index, as the configuration names them: the offline
 * embedder or a Bedrock embedding model (`ai.rediscovery.embedding`), and the stack's S3 Vectors index
 * (`rediscoveryIndex`). The SDK clients find their endpoints as every other client does, so the local
 * stack points them at the Bedrock and S3 Vectors simulators with AWS_ENDPOINT_URL_BEDROCK_RUNTIME and
 * AWS_ENDPOINT_URL_S3VECTORS. A Lambda passes its tracing, which traces the clients it builds here.
 */
export function rediscoveryPortsFrom(
  config: Pick<BridgeConfig, 'ai' | 'rediscoveryIndex'>,
  clients: { readonly s3vectors?: S3VectorsClient } = {},
  tracing: CallTracing = NO_TRACING,
): RediscoveryPorts {
  const location = config.rediscoveryIndex;
  if (!location) {
    throw new Error(
      `configuration: ${ENV.rediscoveryVectorBucket} and ${ENV.rediscoveryVectorIndex} are not set (the stack sets them when ai.rediscovery.enabled; the CLI reads them from the stack outputs RediscoveryVectorBucketName and RediscoveryIndexName)`,
    );
  }
  const s3vectors = clients.s3vectors ?? tracing.captureAWSv3Client(new S3VectorsClient({}));
  return { embedder: embedderFrom(config.ai.rediscovery.embedding, tracing), index: new S3VectorsIndex(s3vectors, location) };
}

/** The configured embedder alone: job-description drafts find similar past posts with it, with or without the index. */
export function embedderFrom(embedding: AiSettings['rediscovery']['embedding'], tracing: CallTracing = NO_TRACING): Embedder {
  if (embedding.provider !== 'bedrock') return offlineEmbedder;
  return createBedrockEmbedder({
    modelId: embedding.modelId,
    dimensions: embedding.dimensions,
    client: tracing.captureAWSv3Client(bedrockRuntimeClient()),
    spans: tracing.spans,
  });
}

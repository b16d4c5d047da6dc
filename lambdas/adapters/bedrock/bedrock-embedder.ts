import { InvokeModelCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ModelAnswerInvalid } from '#core/ai/model';
import { estimatedEmbeddingCostUsd } from '#core/ai/pricing';
import type { Embedder, EmbedderProvenance, EmbedPurpose, Embeddings } from '#core/ai/rediscovery/ports';
import { RateLimited } from '#core/api-errors';
import { NO_TRACE_SPANS, type TraceSpans } from '#core/ports/trace-spans';
import { THROTTLED_RETRY_AFTER_SECONDS, isOutOfCapacity } from './capacity.ts';
import { bedrockRuntimeClient } from './runtime-client.ts';

/**
 * Candidate rediscovery's Embedder on Bedrock Runtime's InvokeModel, for two model families. The
 * request and answer bodies are the models' own (Bedrock user guide, "Amazon Titan Embeddings G1 -
 * Text", V2 request and response: docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html;
 * "Cohere Embed v3": docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed-v3.html):
 *
 * - Titan Text Embeddings V2 (`amazon.titan-embed-text-v2:0`): one text a call,
 *   `{ inputText, dimensions: 256|512|1024, normalize: true }` → `{ embedding, inputTextTokenCount }`.
 *   It has no notion of a query, so both purposes send the same body. Calls run a few at a time.
 * - Cohere Embed v3 (`cohere.embed-english-v3`, `cohere.embed-multilingual-v3`): up to 96 texts a
 *   call, `{ texts, input_type: search_document|search_query, truncate: 'END' }` → `{ embeddings }`,
 *   1,024 numbers each. The purpose is the input type: Cohere embeds a query differently from the
 *   documents it searches. Bedrock takes at most 2,048 characters a text, so a longer profile is cut
 *   there (its end dropped, as `truncate: END` drops tokens past the model's limit).
 *
 * Tokens are counted for the cost estimate: Titan's answer says how many; Cohere's body says nothing
 * on Bedrock, which sends the count in the `x-amzn-bedrock-input-token-count` header instead, read here
 * from the raw response (the SDK does not surface it); failing both, about four characters a token.
 *
 * Failures are classified as the Converse adapter classifies them: throttling the SDK's own retries
 * could not outlast becomes RateLimited (the queue hands the message back); other 5xx and timeouts
 * stay the SDK's errors, which the queue consumer treats as transient; a request Bedrock rejects
 * stays its ValidationException. An answer without one finite, non-zero vector of the configured size
 * per text is ModelAnswerInvalid: never a zero vector or a short one standing in for a profile.
 */
export interface BedrockEmbedderOptions {
  /** Built with `maxAttempts` and adaptive retries when absent; a given client keeps its own retry settings. */
  readonly client?: BedrockRuntimeClient;
  /** One of BEDROCK_EMBEDDING_MODELS. */
  readonly modelId: string;
  /** Titan: 256, 512 or 1024 (default 1024). Cohere Embed v3 answers 1024 only. */
  readonly dimensions?: number;
  /** Calls in flight at once (Titan: texts, Cohere: batches of 96), default 4. */
  readonly concurrency?: number;
  /** SDK attempts per call, default 4. */
  readonly maxAttempts?: number;
  /** Each InvokeModel call traced as a `Bedrock` span with the operation and model id, never the texts or vectors. */
  readonly spans?: TraceSpans;
}

export interface EmbeddingUsage {
  readonly inputTokens: number;
  /** True when some call reported no count and its tokens were estimated from characters. */
  readonly estimated: boolean;
}

export interface BedrockEmbeddings extends Embeddings {
  readonly usage: EmbeddingUsage;
  /** From pricing.ts's on-demand price; for the dashboard only, the bill is AWS's. */
  readonly estimatedCostUsd: number;
}

export interface BedrockEmbedder extends Embedder {
  embed(texts: readonly string[], purpose: EmbedPurpose): Promise<BedrockEmbeddings>;
}

type Family = 'titan' | 'cohere';

const FAMILIES: Readonly<Record<string, Family>> = {
  'amazon.titan-embed-text-v2:0': 'titan',
  'cohere.embed-english-v3': 'cohere',
  'cohere.embed-multilingual-v3': 'cohere',
};
export const BEDROCK_EMBEDDING_MODELS = Object.keys(FAMILIES);

const DIMENSIONS: Readonly<Record<Family, readonly number[]>> = { titan: [256, 512, 1024], cohere: [1024] };
const DEFAULT_DIMENSIONS = 1024;
export const COHERE_MAX_TEXTS = 96;
export const COHERE_MAX_CHARS = 2_048;
const COHERE_INPUT_TYPE: Readonly<Record<EmbedPurpose, string>> = { document: 'search_document', query: 'search_query' };

const OPERATION = 'InvokeModel';
const DEFAULT_CONCURRENCY = 4;
const TOKEN_COUNT_HEADER = 'x-amzn-bedrock-input-token-count';
/** ModelAnswerInvalid's label: the embedder does not know which workflow called it. */
const WORKFLOW = 'embedding';

export function createBedrockEmbedder(options: BedrockEmbedderOptions): BedrockEmbedder {
  const { modelId } = options;
  const family = FAMILIES[modelId];
  if (!family) throw new Error(`unsupported embedding model ${modelId}; supported: ${BEDROCK_EMBEDDING_MODELS.join(', ')}`);
  const dimensions = options.dimensions ?? DEFAULT_DIMENSIONS;
  if (!DIMENSIONS[family].includes(dimensions)) throw new Error(`${modelId} embeds in ${DIMENSIONS[family].join(', ')} dimensions, not ${dimensions}`);
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('concurrency must be a positive integer');
  const client = options.client ?? bedrockRuntimeClient(options.maxAttempts);
  const spans = options.spans ?? NO_TRACE_SPANS;
  const provenance: EmbedderProvenance = {
    provider: 'bedrock',
    model: modelId,
    // The port's flag tells a model that reads the text from the offline embedder's word counts: these
    // are trained transformer encoders, language models that output vectors rather than text.
    isLanguageModel: true,
    dimensions,
  };

  async function invoke(body: object): Promise<{ answer: Record<string, unknown>; headerTokens: number | undefined }> {
    const command = new InvokeModelCommand({ modelId, contentType: 'application/json', accept: 'application/json', body: JSON.stringify(body) });
    let headerTokens: number | undefined;
    command.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        headerTokens = tokenCountHeader(result.response);
        return result;
      },
      { step: 'deserialize', name: 'readBedrockInputTokenCount' },
    );
    let text: string;
    try {
      const output = await spans.span('Bedrock', { operation: OPERATION, model_id: modelId }, () => client.send(command));
      text = output.body.transformToString();
    } catch (error) {
      if (isOutOfCapacity(error)) throw new RateLimited('bedrock', OPERATION, THROTTLED_RETRY_AFTER_SECONDS, 'server');
      throw error;
    }
    return { answer: parseObject(modelId, text), headerTokens };
  }

  type Batch = { readonly vectors: number[][]; readonly tokens: number; readonly estimated: boolean };

  async function titan(text: string, index: number): Promise<Batch> {
    const { answer, headerTokens } = await invoke({ inputText: text, dimensions, normalize: true });
    const vector = checkedVector(modelId, answer.embedding, dimensions, index);
    const counted = nonNegativeInteger(answer.inputTextTokenCount) ?? headerTokens;
    return { vectors: [vector], tokens: counted ?? estimateTokens([text]), estimated: counted === undefined };
  }

  async function cohere(texts: readonly string[], first: number, purpose: EmbedPurpose): Promise<Batch> {
    const clipped = texts.map(clip);
    const { answer, headerTokens } = await invoke({ texts: clipped, input_type: COHERE_INPUT_TYPE[purpose], truncate: 'END' });
    const embeddings = answer.embeddings;
    if (!Array.isArray(embeddings) || embeddings.length !== texts.length) {
      throw new ModelAnswerInvalid(WORKFLOW, `${modelId} answered ${Array.isArray(embeddings) ? embeddings.length : 'no'} embeddings for ${texts.length} texts`);
    }
    const vectors = embeddings.map((embedding, i) => checkedVector(modelId, embedding, dimensions, first + i));
    return { vectors, tokens: headerTokens ?? estimateTokens(clipped), estimated: headerTokens === undefined };
  }

  return {
    provenance,
    async embed(texts, purpose) {
      const empty = texts.findIndex((text) => text.trim() === '');
      // Titan rejects an empty input; a profile with nothing in it is the caller's to skip, not a vector.
      if (empty >= 0) throw new Error(`text ${empty} is empty: there is nothing to embed`);
      const batches =
        family === 'titan'
          ? await mapConcurrently(texts, concurrency, titan)
          : await mapConcurrently(chunks(texts, COHERE_MAX_TEXTS), concurrency, (chunk, i) => cohere(chunk, i * COHERE_MAX_TEXTS, purpose));
      const inputTokens = batches.reduce((sum, batch) => sum + batch.tokens, 0);
      return {
        vectors: batches.flatMap((batch) => batch.vectors),
        provenance,
        usage: { inputTokens, estimated: batches.some((batch) => batch.estimated) },
        // Every model in FAMILIES has a price in pricing.ts.
        estimatedCostUsd: estimatedEmbeddingCostUsd(inputTokens, modelId) ?? 0,
      };
    },
  };
}

function parseObject(modelId: string, text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ModelAnswerInvalid(WORKFLOW, `${modelId} answered a body that is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ModelAnswerInvalid(WORKFLOW, `${modelId} answered a body that is not a JSON object`);
  return parsed as Record<string, unknown>;
}

/** The answer's vector, L2-normalised so a dot product is the cosine; the checks name sizes, never values. */
function checkedVector(modelId: string, value: unknown, dimensions: number, index: number): number[] {
  const invalid = (what: string) => new ModelAnswerInvalid(WORKFLOW, `${modelId} answered ${what} for text ${index}, expected ${dimensions} finite numbers`);
  if (!Array.isArray(value)) throw invalid('no vector');
  if (value.length !== dimensions) throw invalid(`a vector of ${value.length} numbers`);
  if (!value.every((v) => typeof v === 'number' && Number.isFinite(v))) throw invalid('a vector with values that are not finite numbers');
  const numbers = value as number[];
  const norm = Math.hypot(...numbers);
  if (norm === 0) throw invalid('the zero vector');
  return numbers.map((v) => v / norm);
}

/** At most COHERE_MAX_CHARS, without splitting a surrogate pair. */
function clip(text: string): string {
  if (text.length <= COHERE_MAX_CHARS) return text;
  const cut = text.slice(0, COHERE_MAX_CHARS);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/** Results in input order, at most `limit` calls in flight; after a failure no further call starts. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, call: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await call(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function tokenCountHeader(response: unknown): number | undefined {
  const headers = (response as { headers?: Record<string, string | undefined> } | undefined)?.headers;
  const value = headers?.[TOKEN_COUNT_HEADER];
  return value === undefined ? undefined : nonNegativeInteger(Number(value));
}

function nonNegativeInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** About four characters a token, as Bedrock's own guidance for English text goes. */
function estimateTokens(texts: readonly string[]): number {
  return texts.reduce((sum, text) => sum + Math.max(1, Math.ceil(text.length / 4)), 0);
}

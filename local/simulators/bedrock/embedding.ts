import { createHash, randomUUID } from 'node:crypto';
import { estimateTokens } from './tokens.ts';

/**
 * The simulator's InvokeModel for two embedding model families, checked as Bedrock documents their
 * bodies (user guide: "Amazon Titan Embeddings G1 - Text", V2 request and response; "Cohere Embed
 * v3"): Titan Text Embeddings V2 takes one `inputText` with optional `dimensions` (256, 512 or 1024)
 * and `normalize`, Cohere Embed v3 up to 96 `texts` of at most 2,048 characters with a required
 * `input_type` and optional `truncate`. Unknown keys are rejected, as Titan rejects them.
 *
 * THE VECTORS ARE NOT A MODEL'S. Each is a bag of hashed words (`simulatedEmbedding`): deterministic,
 * of the asked size, normalised, and closer for texts that share words, which is all a test or the
 * local stack can rely on. Nothing here understands a text.
 */
export type EmbeddingFamily = 'titan' | 'cohere';

const FAMILIES: Readonly<Record<string, EmbeddingFamily>> = {
  'amazon.titan-embed-text-v2:0': 'titan',
  'cohere.embed-english-v3': 'cohere',
  'cohere.embed-multilingual-v3': 'cohere',
};

export function embeddingFamily(modelId: string): EmbeddingFamily | undefined {
  return FAMILIES[modelId];
}

export interface EmbeddingCall {
  readonly modelId: string;
  readonly family: EmbeddingFamily;
  /** Titan's `inputText` as one text, or Cohere's `texts`; only the strings among them. */
  readonly texts: readonly string[];
  /** Cohere's `input_type`, as sent. */
  readonly inputType?: unknown;
  readonly truncate?: unknown;
  /** Titan's `dimensions` and `normalize`, as sent. */
  readonly dimensions?: unknown;
  readonly normalize?: unknown;
}

type Body = Record<string, unknown>;

const TITAN_KEYS = new Set(['inputText', 'dimensions', 'normalize', 'embeddingTypes']);
const TITAN_DIMENSIONS = [256, 512, 1024];
const TITAN_DEFAULT_DIMENSIONS = 1024;
const TITAN_MAX_CHARS = 50_000;
const TITAN_MAX_TOKENS = 8_192;
const COHERE_KEYS = new Set(['texts', 'input_type', 'truncate', 'embedding_types', 'images']);
const COHERE_INPUT_TYPES = ['search_document', 'search_query', 'classification', 'clustering'];
const COHERE_TRUNCATE = ['NONE', 'START', 'END'];
const COHERE_MAX_TEXTS = 96;
const COHERE_MAX_CHARS = 2_048;
const COHERE_MAX_TOKENS = 512;
const COHERE_DIMENSIONS = 1024;

/** Leniently, so a malformed request is logged too before `embeddingProblem` rejects it. */
export function readEmbeddingCall(modelId: string, family: EmbeddingFamily, raw: unknown): EmbeddingCall {
  const body: Body = isBody(raw) ? raw : {};
  if (family === 'titan') {
    return {
      modelId,
      family,
      texts: typeof body.inputText === 'string' ? [body.inputText] : [],
      ...('dimensions' in body && { dimensions: body.dimensions }),
      ...('normalize' in body && { normalize: body.normalize }),
    };
  }
  return {
    modelId,
    family,
    texts: Array.isArray(body.texts) ? body.texts.filter((t): t is string => typeof t === 'string') : [],
    ...('input_type' in body && { inputType: body.input_type }),
    ...('truncate' in body && { truncate: body.truncate }),
  };
}

/** What Bedrock would reject the request for (its ValidationException message), or undefined. */
export function embeddingProblem(family: EmbeddingFamily, raw: unknown): string | undefined {
  if (!isBody(raw)) return 'Malformed input request: the body must be a JSON object, please reformat your input and try again.';
  const extraneous = Object.keys(raw).find((key) => !(family === 'titan' ? TITAN_KEYS : COHERE_KEYS).has(key));
  if (extraneous !== undefined) return `Malformed input request: #: extraneous key [${extraneous}] is not permitted, please reformat your input and try again.`;
  return family === 'titan' ? titanProblem(raw) : cohereProblem(raw);
}

function titanProblem(body: Body): string | undefined {
  const { inputText, dimensions, normalize, embeddingTypes } = body;
  if (typeof inputText !== 'string') return 'Malformed input request: #: required key [inputText] not found or not a string.';
  if (inputText.length === 0) return 'Malformed input request: #/inputText: expected minLength: 1, actual: 0.';
  if (inputText.length > TITAN_MAX_CHARS) return `Malformed input request: #/inputText: expected maxLength: ${TITAN_MAX_CHARS}, actual: ${inputText.length}.`;
  if (estimateTokens(inputText) > TITAN_MAX_TOKENS) return `400 Bad Request: Too many input tokens. Max input tokens: ${TITAN_MAX_TOKENS}.`;
  if (dimensions !== undefined && !TITAN_DIMENSIONS.includes(dimensions as number)) {
    return `Malformed input request: #/dimensions: ${String(dimensions)} is not a valid enum value (${TITAN_DIMENSIONS.join(', ')}).`;
  }
  if (normalize !== undefined && typeof normalize !== 'boolean') return 'Malformed input request: #/normalize: expected type: Boolean.';
  if (embeddingTypes !== undefined && !(Array.isArray(embeddingTypes) && embeddingTypes.every((t) => t === 'float'))) {
    return 'The simulator serves float embeddings only (embeddingTypes ["float"]).';
  }
  return undefined;
}

function cohereProblem(body: Body): string | undefined {
  const { texts, input_type: inputType, truncate, embedding_types: embeddingTypes } = body;
  if (body.images !== undefined) return 'The simulator serves text embeddings only, not images.';
  if (!Array.isArray(texts) || !texts.every((t) => typeof t === 'string')) return 'Malformed input request: #/texts: expected an array of strings.';
  if (texts.length > COHERE_MAX_TEXTS) return `Malformed input request: #/texts: expected maxItems: ${COHERE_MAX_TEXTS}, actual: ${texts.length}.`;
  const long = texts.findIndex((t: string) => t.length > COHERE_MAX_CHARS);
  if (long >= 0) return `Malformed input request: #/texts/${long}: expected maxLength: ${COHERE_MAX_CHARS}, actual: ${(texts[long] as string).length}.`;
  if (typeof inputType !== 'string' || !COHERE_INPUT_TYPES.includes(inputType)) return `Malformed input request: #/input_type: must be one of ${COHERE_INPUT_TYPES.join(', ')}.`;
  if (truncate !== undefined && !COHERE_TRUNCATE.includes(truncate as string)) return `Malformed input request: #/truncate: must be one of ${COHERE_TRUNCATE.join(', ')}.`;
  // NONE, the default, refuses a text past the model's token limit instead of cutting it.
  if ((truncate ?? 'NONE') === 'NONE' && texts.some((t: string) => estimateTokens(t) > COHERE_MAX_TOKENS)) {
    return `invalid request: a text is longer than ${COHERE_MAX_TOKENS} tokens and truncate is NONE.`;
  }
  if (embeddingTypes !== undefined && !(Array.isArray(embeddingTypes) && embeddingTypes.every((t) => t === 'float'))) {
    return 'The simulator serves float embeddings only (embedding_types ["float"]).';
  }
  return undefined;
}

export interface EmbeddingAnswer {
  readonly body: unknown;
  /** What Bedrock sends in `x-amzn-bedrock-input-token-count`. */
  readonly inputTokens: number;
}

/** The answer to a request `embeddingProblem` passed. */
export function embeddingAnswer(call: EmbeddingCall): EmbeddingAnswer {
  if (call.family === 'titan') {
    const text = call.texts[0] ?? '';
    const embedding = simulatedEmbedding(text, (call.dimensions as number | undefined) ?? TITAN_DEFAULT_DIMENSIONS, call.normalize !== false);
    const inputTokens = estimateTokens(text);
    return { body: { embedding, embeddingsByType: { float: embedding }, inputTextTokenCount: inputTokens }, inputTokens };
  }
  // Cohere's `truncate: END`/`START` cut a long text to the model's limit before it is embedded.
  const kept = call.texts.map((text) => (call.truncate === 'START' ? text.slice(-COHERE_MAX_TOKENS * 4) : text.slice(0, COHERE_MAX_TOKENS * 4)));
  return {
    body: { id: randomUUID(), texts: call.texts, embeddings: kept.map((text) => simulatedEmbedding(text, COHERE_DIMENSIONS, true)), response_type: 'embeddings_floats' },
    inputTokens: kept.reduce((sum, text) => sum + estimateTokens(text), 0),
  };
}

/**
 * Not a model: every lower-cased word adds ±1 to a slot picked by its sha-256, so texts sharing words
 * point the same way. Never the zero vector (a text without words, or whose words cancel out, gets the
 * slot of its own hash), since no model answers one.
 */
export function simulatedEmbedding(text: string, dimensions: number, normalize: boolean): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const digestOf = (feature: string) => createHash('sha256').update(feature).digest();
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const digest = digestOf(word);
    vector[digest.readUInt32BE(0) % dimensions]! += digest[4]! & 1 ? 1 : -1;
  }
  if (Math.hypot(...vector) === 0) vector[digestOf(text).readUInt32BE(0) % dimensions] = 1;
  const norm = Math.hypot(...vector);
  return normalize ? vector.map((v) => v / norm) : vector;
}

function isBody(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

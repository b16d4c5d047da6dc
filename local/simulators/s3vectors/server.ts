import Fastify, { type FastifyError } from 'fastify';
import { closestFirst, dot, unit } from '#adapters/ai/exact-vector-index';
import { LOOPBACK_HOST, urlHost } from '../../listen-host.ts';
import { behaveAsAwsService } from '../shared/aws-service.ts';

/**
 * Amazon S3 Vectors for the local stack and the tests: the REST-JSON operations candidate rediscovery
 * calls, as the real SDK client sends them (`endpoint` pointed here, or AWS_ENDPOINT_URL_S3VECTORS):
 * `POST /PutVectors`, `/GetVectors`, `/DeleteVectors`, `/QueryVectors`, plus `/CreateVectorBucket`
 * and `/CreateIndex` so a bucket and index can be made as on AWS. Errors are `x-amzn-errortype` plus
 * `{ message }` with the service's status codes. No signature is verified, only that one is present.
 *
 * Search is exact: every vector of the index is scored with the exact index's cosine
 * (lambdas/adapters/ai/exact-vector-index.ts), where S3 Vectors searches approximately. Each behaviour
 * below says whether the S3 Vectors documentation states it (API reference and user guide: "Limitations
 * and restrictions", "Metadata filtering", "Vector indexes") or the simulator assumes it.
 */
export interface S3VectorsIndexSpec {
  readonly vectorBucketName: string;
  readonly indexName: string;
  readonly dimension: number;
  readonly nonFilterableMetadataKeys?: readonly string[];
}

export interface S3VectorsSimulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Buckets and indexes that exist from the start, as a deployed stack's CloudFormation made them. */
  readonly indexes?: readonly S3VectorsIndexSpec[];
  readonly logger?: boolean;
}

export type S3VectorsOperation = 'PutVectors' | 'GetVectors' | 'DeleteVectors' | 'QueryVectors' | 'CreateVectorBucket' | 'CreateIndex';

export interface S3VectorsSimulator {
  readonly url: string;
  /** Every signed request, in order: the operation and how many vectors or keys it carried. */
  requests(): readonly { readonly operation: S3VectorsOperation; readonly count: number; readonly status: number }[];
  /** How many vectors an index holds. */
  size(vectorBucketName: string, indexName: string): number;
  /** The next n data-plane requests get 429 TooManyRequestsException. */
  throttleNext(n: number): void;
  /** The next n data-plane requests, after any throttled ones, get 503 ServiceUnavailableException. */
  failNext(n: number): void;
  close(): Promise<void>;
}

// Documented limits ("Limitations and restrictions").
const MAX_PUT_OR_DELETE = 500;
const MAX_GET = 100;
const MAX_TOP_K = 100;
const MAX_DIMENSION = 4_096;
const MAX_KEY_LENGTH = 1_024;
const MAX_METADATA_KEYS = 50;
const MAX_NON_FILTERABLE_KEYS = 10;
const MAX_FILTERABLE_METADATA_BYTES = 2 * 1024;
const MAX_METADATA_BYTES = 40 * 1024;
const MAX_PAYLOAD_BYTES = 20 * 1024 * 1024;
// Documented naming rules: 3–63 characters, lowercase letters, digits, hyphens (and dots for an index).
const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const INDEX_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const INDEX_ARN = /^arn:[^:]+:s3vectors:[^:]*:[^:]*:bucket\/([^/]+)\/index\/([^/]+)$/;

class S3VectorsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const validation = (message: string) => new S3VectorsError(400, 'ValidationException', message);

interface StoredVector {
  readonly data: number[];
  readonly unit: Float64Array;
  readonly metadata: Record<string, unknown> | undefined;
}

interface SimIndex {
  readonly dimension: number;
  readonly nonFilterable: ReadonlySet<string>;
  readonly vectors: Map<string, StoredVector>;
}

/** What the simulator reads of a request body; the SDK serialises members by their model names. */
interface Body {
  vectorBucketName?: unknown;
  indexName?: unknown;
  indexArn?: unknown;
  vectors?: unknown;
  keys?: unknown;
  returnData?: unknown;
  returnMetadata?: unknown;
  returnDistance?: unknown;
  topK?: unknown;
  queryVector?: unknown;
  filter?: unknown;
  dataType?: unknown;
  dimension?: unknown;
  distanceMetric?: unknown;
  metadataConfiguration?: { nonFilterableMetadataKeys?: unknown };
}

export async function startS3VectorsSimulator(options: S3VectorsSimulatorOptions = {}): Promise<S3VectorsSimulator> {
  const buckets = new Map<string, Map<string, SimIndex>>();
  const log: { operation: S3VectorsOperation; count: number; status: number }[] = [];
  let throttled = 0;
  let failing = 0;

  const createBucket = (name: string) => {
    if (!BUCKET_NAME.test(name)) throw validation(`Invalid vector bucket name ${JSON.stringify(name)}.`);
    if (buckets.has(name)) throw new S3VectorsError(409, 'ConflictException', 'A vector bucket with this name already exists.');
    buckets.set(name, new Map());
  };
  const createIndex = (spec: S3VectorsIndexSpec) => {
    const bucket = buckets.get(spec.vectorBucketName);
    if (!bucket) throw new S3VectorsError(404, 'NotFoundException', 'The specified vector bucket could not be found.');
    if (!INDEX_NAME.test(spec.indexName)) throw validation(`Invalid index name ${JSON.stringify(spec.indexName)}.`);
    if (bucket.has(spec.indexName)) throw new S3VectorsError(409, 'ConflictException', 'An index with this name already exists.');
    if (!Number.isInteger(spec.dimension) || spec.dimension < 1 || spec.dimension > MAX_DIMENSION) {
      throw validation(`dimension must be an integer from 1 to ${MAX_DIMENSION}.`);
    }
    const nonFilterable = spec.nonFilterableMetadataKeys ?? [];
    if (nonFilterable.length > MAX_NON_FILTERABLE_KEYS) throw validation(`At most ${MAX_NON_FILTERABLE_KEYS} non-filterable metadata keys.`);
    bucket.set(spec.indexName, { dimension: spec.dimension, nonFilterable: new Set(nonFilterable), vectors: new Map() });
  };
  for (const spec of options.indexes ?? []) {
    if (!buckets.has(spec.vectorBucketName)) createBucket(spec.vectorBucketName);
    createIndex(spec);
  }

  /** Documented: an index is named by bucket and index name, or by its ARN; a missing one is 404 NotFoundException. */
  const indexOf = (body: Body): SimIndex => {
    const arn = typeof body.indexArn === 'string' ? INDEX_ARN.exec(body.indexArn) : null;
    const bucketName = arn ? arn[1] : body.vectorBucketName;
    const indexName = arn ? arn[2] : body.indexName;
    if (typeof bucketName !== 'string' || typeof indexName !== 'string') throw validation('Specify vectorBucketName and indexName, or indexArn.');
    const index = buckets.get(bucketName)?.get(indexName);
    if (!index) throw new S3VectorsError(404, 'NotFoundException', 'The specified index could not be found.');
    return index;
  };

  const app = Fastify({ logger: options.logger ?? false, bodyLimit: MAX_PAYLOAD_BYTES, forceCloseConnections: true });
  behaveAsAwsService(app, (status, type, message) => new S3VectorsError(status, type, message));
  app.setErrorHandler((error: FastifyError | S3VectorsError, request, reply) => {
    const operation = request.url.slice(1) as S3VectorsOperation;
    const answer = error instanceof S3VectorsError ? error : error.statusCode && error.statusCode < 500 ? validation(error.message) : undefined;
    if (!answer) {
      request.log.error(error);
      log.push({ operation, count: countOf(request.body), status: 500 });
      return reply.code(500).header('x-amzn-errortype', 'InternalServerException').send({ message: 'Internal server error.' });
    }
    log.push({ operation, count: countOf(request.body), status: answer.status });
    return reply.code(answer.status).header('x-amzn-errortype', answer.type).send({ message: answer.message });
  });

  const CONTROL_PLANE = new Set<S3VectorsOperation>(['CreateVectorBucket', 'CreateIndex']);
  const post = (operation: S3VectorsOperation, handle: (body: Body) => unknown) =>
    app.post<{ Body: Body }>(`/${operation}`, async (request) => {
      const body = request.body ?? {};
      // Injected faults first, so a test sees throttling before any validation.
      if (!CONTROL_PLANE.has(operation) && throttled > 0) {
        throttled -= 1;
        throw new S3VectorsError(429, 'TooManyRequestsException', 'Request rate exceeded; slow down.');
      }
      if (!CONTROL_PLANE.has(operation) && failing > 0) {
        failing -= 1;
        throw new S3VectorsError(503, 'ServiceUnavailableException', 'Service unavailable; try again.');
      }
      const answer = handle(body);
      log.push({ operation, count: countOf(body), status: 200 });
      return answer;
    });

  post('CreateVectorBucket', (body) => {
    if (typeof body.vectorBucketName !== 'string') throw validation('vectorBucketName is required.');
    createBucket(body.vectorBucketName);
    return {};
  });

  post('CreateIndex', (body) => {
    // Documented: float32 is the only data type; cosine and euclidean the metrics. Only cosine is simulated.
    if (body.dataType !== 'float32') throw validation('dataType must be float32.');
    if (body.distanceMetric !== 'cosine') throw validation('The simulator serves the cosine distance metric only.');
    const nonFilterable = body.metadataConfiguration?.nonFilterableMetadataKeys ?? [];
    if (!Array.isArray(nonFilterable) || !nonFilterable.every((k) => typeof k === 'string')) throw validation('nonFilterableMetadataKeys must be strings.');
    if (typeof body.vectorBucketName !== 'string' || typeof body.indexName !== 'string') throw validation('vectorBucketName and indexName are required.');
    createIndex({
      vectorBucketName: body.vectorBucketName,
      indexName: body.indexName,
      dimension: typeof body.dimension === 'number' ? body.dimension : NaN,
      nonFilterableMetadataKeys: nonFilterable as string[],
    });
    return {};
  });

  post('PutVectors', (body) => {
    const index = indexOf(body);
    const vectors = listOf(body.vectors, 'vectors', MAX_PUT_OR_DELETE);
    // Documented: the whole request is validated; a bad vector rejects the call (assumed: nothing of it is written).
    const stored = vectors.map((raw) => {
      const vector = (raw ?? {}) as { key?: unknown; data?: { float32?: unknown }; metadata?: unknown };
      const key = keyOf(vector.key);
      const data = vectorData(vector.data?.float32, index.dimension, `vector ${key}`);
      const metadata = vector.metadata === undefined ? undefined : metadataOf(vector.metadata, index.nonFilterable, key);
      return [key, { data, unit: unit(data), metadata }] as const;
    });
    // Documented: putting an existing key overwrites its vector and metadata.
    for (const [key, vector] of stored) index.vectors.set(key, vector);
    return {};
  });

  post('GetVectors', (body) => {
    const index = indexOf(body);
    const keys = listOf(body.keys, 'keys', MAX_GET).map(keyOf);
    // Assumed: a key with nothing stored is left out of the answer, not an error.
    return {
      vectors: keys.flatMap((key) => {
        const found = index.vectors.get(key);
        if (!found) return [];
        return [
          {
            key,
            // Documented: data and metadata only when asked for.
            ...(body.returnData === true ? { data: { float32: [...found.data] } } : {}),
            ...(body.returnMetadata === true && found.metadata ? { metadata: found.metadata } : {}),
          },
        ];
      }),
    };
  });

  post('DeleteVectors', (body) => {
    const index = indexOf(body);
    const keys = listOf(body.keys, 'keys', MAX_PUT_OR_DELETE).map(keyOf);
    // Assumed: deleting a key with nothing stored succeeds.
    for (const key of keys) index.vectors.delete(key);
    return {};
  });

  post('QueryVectors', (body) => {
    const index = indexOf(body);
    // Documented: topK at most 100 (assumed: at least 1, an integer).
    if (typeof body.topK !== 'number' || !Number.isInteger(body.topK) || body.topK < 1 || body.topK > MAX_TOP_K) {
      throw validation(`topK must be an integer from 1 to ${MAX_TOP_K}.`);
    }
    const query = unit(vectorData((body.queryVector as { float32?: unknown } | undefined)?.float32, index.dimension, 'queryVector'));
    const matches = body.filter === undefined ? () => true : compileFilter(body.filter, index.nonFilterable);
    const scored = [...index.vectors].flatMap(([key, stored]) => (matches(stored.metadata ?? {}) ? [{ key, score: dot(query, stored.unit), stored }] : []));
    return {
      // Documented: results closest first, distance as cosine distance (1 - cosine similarity), metadata
      // and distance only when asked for. Assumed: ties in key order (the service does not say).
      vectors: scored
        .sort(closestFirst)
        .slice(0, body.topK)
        .map(({ key, score, stored }) => ({
          key,
          ...(body.returnDistance === true ? { distance: 1 - score } : {}),
          ...(body.returnMetadata === true && stored.metadata ? { metadata: stored.metadata } : {}),
        })),
      distanceMetric: 'cosine',
    };
  });

  const host = options.host ?? LOOPBACK_HOST;
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);

  return {
    url: `http://${urlHost(host)}:${port}`,
    requests: () => [...log],
    size: (bucket, index) => buckets.get(bucket)?.get(index)?.vectors.size ?? 0,
    throttleNext(n) {
      throttled = n;
    },
    failNext(n) {
      failing = n;
    },
    close: () => app.close(),
  };
}

/** The vectors or keys a request carried (1 for a query or a control-plane call). */
function countOf(body: unknown): number {
  const { vectors, keys } = (body ?? {}) as Body;
  return Array.isArray(vectors) ? vectors.length : Array.isArray(keys) ? keys.length : 1;
}

/** Documented: a list of 1 to `max` items. */
function listOf(value: unknown, name: string, max: number): unknown[] {
  if (!Array.isArray(value) || value.length < 1) throw validation(`${name} must be a non-empty list.`);
  if (value.length > max) throw validation(`${name} must have at most ${max} items; got ${value.length}.`);
  return value;
}

/** Documented: a key is 1 to 1,024 characters. */
function keyOf(value: unknown): string {
  if (typeof value !== 'string' || value.length < 1 || value.length > MAX_KEY_LENGTH) throw validation(`A key must be 1 to ${MAX_KEY_LENGTH} characters.`);
  return value;
}

/**
 * Documented: exactly the index's dimension, stored as float32 (so values come back rounded to it).
 * Assumed: NaN and infinities are refused, and so is an all-zero vector, which has no cosine.
 */
function vectorData(value: unknown, dimension: number, what: string): number[] {
  if (!Array.isArray(value)) throw validation(`${what}: float32 data is required.`);
  if (value.length !== dimension) throw validation(`${what} has dimension ${value.length}; the index has dimension ${dimension}.`);
  if (!value.every((v) => typeof v === 'number' && Number.isFinite(v))) throw validation(`${what}: every value must be a finite number.`);
  if (value.every((v) => v === 0)) throw validation(`${what}: a zero vector has no cosine distance.`);
  return value.map((v: number) => Math.fround(v));
}

/**
 * Documented: an object of string, number, boolean or list values, at most 50 keys, 40 KB in all and
 * 2 KB of filterable keys. Assumed: sizes measured as the JSON text of the keys and values.
 */
function metadataOf(value: unknown, nonFilterable: ReadonlySet<string>, key: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw validation(`metadata of ${key} must be an object.`);
  const entries = Object.entries(value);
  if (entries.length > MAX_METADATA_KEYS) throw validation(`metadata of ${key} has more than ${MAX_METADATA_KEYS} keys.`);
  const primitive = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  if (!entries.every(([, v]) => primitive(v) || (Array.isArray(v) && v.every(primitive)))) throw validation(`metadata of ${key}: values must be strings, numbers, booleans or lists of them.`);
  const bytes = (pairs: [string, unknown][]) => Buffer.byteLength(JSON.stringify(Object.fromEntries(pairs)));
  if (bytes(entries.filter(([name]) => !nonFilterable.has(name))) > MAX_FILTERABLE_METADATA_BYTES) throw validation(`filterable metadata of ${key} exceeds 2 KB.`);
  if (bytes(entries) > MAX_METADATA_BYTES) throw validation(`metadata of ${key} exceeds 40 KB.`);
  return Object.fromEntries(entries);
}

type Predicate = (metadata: Record<string, unknown>) => boolean;

const NUMERIC_OPERATORS: Record<string, (a: number, b: number) => boolean> = {
  $gt: (a, b) => a > b,
  $gte: (a, b) => a >= b,
  $lt: (a, b) => a < b,
  $lte: (a, b) => a <= b,
};

/**
 * Documented operators: `$eq`, `$ne` (string, number, boolean), `$gt`, `$gte`, `$lt`, `$lte` (numbers
 * only), `$in`, `$nin` (non-empty lists of those), `$exists` (boolean), `$and`, `$or` (non-empty lists of
 * filters); a bare value is `$eq`, and `$eq` on a list value matches any element. Assumed: several keys
 * in one object must all hold; a comparison on a missing key fails but `$ne` and `$nin` pass (as in
 * MongoDB, whose syntax this is); filtering on a non-filterable key is a ValidationException.
 */
function compileFilter(filter: unknown, nonFilterable: ReadonlySet<string>): Predicate {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) throw validation('A filter must be an object.');
  const parts = Object.entries(filter).map(([name, condition]): Predicate => {
    if (name === '$and' || name === '$or') {
      if (!Array.isArray(condition) || condition.length === 0) throw validation(`${name} takes a non-empty list of filters.`);
      const subs = condition.map((sub) => compileFilter(sub, nonFilterable));
      return name === '$and' ? (m) => subs.every((p) => p(m)) : (m) => subs.some((p) => p(m));
    }
    if (name.startsWith('$')) throw validation(`Unknown filter operator ${name}.`);
    if (nonFilterable.has(name)) throw validation(`${name} is a non-filterable metadata key.`);
    return fieldPredicate(name, condition);
  });
  return (metadata) => parts.every((p) => p(metadata));
}

function fieldPredicate(name: string, condition: unknown): Predicate {
  const isPrimitive = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  const equals = (stored: unknown, wanted: unknown) => (Array.isArray(stored) ? stored.includes(wanted) : stored === wanted);
  if (isPrimitive(condition)) return (m) => equals(m[name], condition);
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) throw validation(`Invalid condition on ${name}.`);
  const checks = Object.entries(condition).map(([operator, operand]): Predicate => {
    const numeric = NUMERIC_OPERATORS[operator];
    if (numeric) {
      if (typeof operand !== 'number') throw validation(`${operator} takes a number.`);
      return (m) => typeof m[name] === 'number' && numeric(m[name], operand);
    }
    switch (operator) {
      case '$eq':
      case '$ne': {
        if (!isPrimitive(operand)) throw validation(`${operator} takes a string, number or boolean.`);
        return operator === '$eq' ? (m) => equals(m[name], operand) : (m) => !equals(m[name], operand);
      }
      case '$in':
      case '$nin': {
        if (!Array.isArray(operand) || operand.length === 0 || !operand.every(isPrimitive)) throw validation(`${operator} takes a non-empty list of strings, numbers or booleans.`);
        const any = (m: Record<string, unknown>) => operand.some((v) => equals(m[name], v));
        return operator === '$in' ? any : (m) => !any(m);
      }
      case '$exists': {
        if (typeof operand !== 'boolean') throw validation('$exists takes a boolean.');
        return (m) => (name in m) === operand;
      }
      default:
        throw validation(`Unknown filter operator ${operator}.`);
    }
  });
  return (m) => checks.every((p) => p(m));
}

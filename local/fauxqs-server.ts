import { buildApp, type BuildAppOptions } from 'fauxqs';
import { LOOPBACK_HOST } from './listen-host.ts';

/**
 * fauxqs, the SQS emulator, in this process, on one address, and kept on disk when given a directory.
 * Its `startFauxqs` listens on 0.0.0.0 whatever it is told (its `host` option only names the host in
 * queue URLs), so this builds the same app with fauxqs's public `buildApp` and listens where asked.
 *
 * With `dataDir`, fauxqs's own SQLite persistence is wired in as startFauxqs wires it (its modules are
 * not exported, so they are loaded from the package's files): queues with their attributes, and every
 * message, ready, delayed or in flight, with its receive count, are written through at once and come
 * back on the next start. Its FIFO deduplication cache is not kept: a message sent again with the same
 * deduplication id just after a restart is accepted again.
 */
export interface FauxqsServerOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** The address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Keeps the queues and messages in `fauxqs.db` in this directory (created if missing). */
  readonly dataDir?: string;
}

export interface FauxqsServer {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startFauxqsServer({ port = 0, host = LOOPBACK_HOST, dataDir }: FauxqsServerOptions = {}): Promise<FauxqsServer> {
  const persisted = dataDir === undefined ? undefined : await persistedStores(dataDir);
  const app = buildApp({ logger: false, stores: persisted?.stores });
  if (persisted) app.addHook('preClose', () => persisted.close());
  try {
    await app.listen({ port, host });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    stop: () => app.close(),
  };
}

type Stores = NonNullable<BuildAppOptions['stores']>;

/** The parts of fauxqs's unexported persistence that startFauxqs uses. */
interface PersistenceManager {
  load(sqs: Stores['sqsStore'], sns: Stores['snsStore'], s3: Stores['s3Store']): void;
  close(): void;
}

interface FauxqsInternals {
  readonly SqsStore: new () => Stores['sqsStore'] & { allQueues(): Iterable<{ persistence?: unknown }> };
  readonly SnsStore: new () => Stores['snsStore'];
  readonly S3Store: new () => Stores['s3Store'];
  readonly PersistenceManager: new (dataDir: string) => PersistenceManager;
}

async function fauxqsInternals(): Promise<FauxqsInternals> {
  const dist = new URL('.', import.meta.resolve('fauxqs'));
  const files = ['sqs/sqsStore.js', 'sns/snsStore.js', 's3/s3Store.js', 'persistence.js'];
  const [sqs, sns, s3, persistence] = await Promise.all(files.map((file) => import(new URL(file, dist).href)));
  return { SqsStore: sqs.SqsStore, SnsStore: sns.SnsStore, S3Store: s3.S3Store, PersistenceManager: persistence.PersistenceManager };
}

async function persistedStores(dataDir: string): Promise<{ stores: Stores; close: () => void }> {
  const { SqsStore, SnsStore, S3Store, PersistenceManager } = await fauxqsInternals();
  const sqsStore = new SqsStore();
  const stores: Stores = { sqsStore, snsStore: new SnsStore(), s3Store: new S3Store() };
  const persistence = new PersistenceManager(dataDir);
  // Loaded before the stores persist, as startFauxqs does: restoring must not write everything back.
  persistence.load(stores.sqsStore, stores.snsStore, stores.s3Store);
  const persisting: { persistence?: unknown }[] = [stores.sqsStore, stores.snsStore, stores.s3Store, ...sqsStore.allQueues()];
  for (const store of persisting) store.persistence = persistence;
  return { stores, close: () => persistence.close() };
}

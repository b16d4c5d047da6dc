import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '#local/simulators/shared/random';

/**
 * In front of the Greenhouse simulator, for the faults it cannot stage itself (it has no scripted
 * answers): passes every request through, except that
 * - for a share of the writes, Greenhouse does the write and the proxy answers 503 instead (the answer
 *   lost on the way back; the Beamery simulator stages the same with its `when: 'after'` overrides);
 * - during a 429 burst, the next API calls are answered 429 with `Retry-After: 1`, unforwarded.
 * It also counts the writes Greenhouse really did, by status, which the simulator's log does not say.
 */
export interface GreenhouseProxy {
  readonly url: string;
  /** Writes (non-GET calls under /v3/) by Greenhouse's own status, and the answers replaced. */
  readonly writes: { readonly byStatus: Record<string, number>; lost: number };
  /** Share of writes whose answer is lost (0 to stop). */
  lossRate: number;
  /** API calls still to answer 429 (a burst), and how many were. */
  tooManyRequests: number;
  readonly rejected: () => number;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding']);

export async function startGreenhouseProxy(target: string, options: { readonly lossRate: number; readonly seed: number }): Promise<GreenhouseProxy> {
  const random = seededRandom(options.seed);
  const writes = { byStatus: {} as Record<string, number>, lost: 0 };
  const proxy = { lossRate: options.lossRate, tooManyRequests: 0 };
  let rejected = 0;

  const server: Server = createServer((request, response) => {
    if (proxy.tooManyRequests > 0 && request.url!.startsWith('/v3/')) {
      proxy.tooManyRequests--;
      rejected++;
      request.resume();
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end(JSON.stringify({ message: 'Too Many Requests (burst)' }));
      return;
    }
    void forward(request).then(
      ({ status, headers, body }) => {
        const isWrite = request.method !== 'GET' && request.url!.startsWith('/v3/');
        if (isWrite) writes.byStatus[status] = (writes.byStatus[status] ?? 0) + 1;
        if (isWrite && status < 300 && random() < proxy.lossRate) {
          writes.lost++;
          response.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Service Unavailable (answer lost)' }));
          return;
        }
        response.writeHead(status, headers).end(body);
      },
      () => response.destroy(),
    );
  });

  async function forward(request: IncomingMessage): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([name, value]) => typeof value === 'string' && !HOP_BY_HOP.has(name) && name !== 'host'),
    ) as Record<string, string>;
    const upstream = await fetch(`${target}${request.url}`, {
      method: request.method,
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      redirect: 'manual',
    });
    const body = Buffer.from(await upstream.arrayBuffer());
    return {
      status: upstream.status,
      headers: Object.fromEntries([...upstream.headers].filter(([name]) => !HOP_BY_HOP.has(name))),
      body,
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(proxy, {
    url: `http://127.0.0.1:${port}`,
    writes,
    rejected: () => rejected,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

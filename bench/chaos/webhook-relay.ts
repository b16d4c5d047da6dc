import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '#local/simulators/shared/random';

/**
 * Between the Greenhouse simulator and the bridge's webhook route: takes each signed delivery (200 at
 * once, so the simulator never retries on its own slow schedule) and hands it to the bridge three
 * times, as Greenhouse's at-least-once delivery can: with the same `Greenhouse-Event-ID`, again with
 * the same one, and with a new one (a repeated event, hours later in real life). Each copy waits a
 * random moment within the shuffle window, so copies of different events arrive out of order.
 *
 * A copy the bridge refuses with a 5xx, or cannot be reached for (a whole-stack restart), is tried
 * again a second later, for as long as it takes, like Greenhouse's retries; a 4xx is final (the
 * bridge said the delivery is bad, and retrying cannot change that).
 */
export interface Outbound {
  readonly url: () => string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** For the summary: what kind of delivery this is. */
  readonly kind: 'webhook' | 'push' | 'poison';
}

export interface DispatchStats {
  sent: number;
  retried: number;
  /** Final answers by status (`network` for none). */
  readonly statuses: Record<string, number>;
}

const RETRY_MS = 1_000;

/** Sends deliveries when they are due, a few at a time, retrying 5xx and network failures. */
export class Dispatcher {
  readonly stats: DispatchStats = { sent: 0, retried: 0, statuses: {} };
  private readonly due: { at: number; item: Outbound }[] = [];
  private inFlight = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly random: () => number;

  constructor(
    private readonly options: { readonly concurrency: number; readonly shuffleWindowMs: number; readonly seed: number },
  ) {
    this.random = seededRandom(options.seed);
    this.timer = setInterval(() => this.tick(), 10);
  }

  /** Queued at a random moment within the shuffle window (or exactly after `delayMs`). */
  enqueue(item: Outbound, delayMs = this.random() * this.options.shuffleWindowMs): void {
    this.due.push({ at: Date.now() + delayMs, item });
  }

  /** Nothing queued and nothing on the way. */
  get idle(): boolean {
    return this.due.length === 0 && this.inFlight === 0;
  }

  get pending(): number {
    return this.due.length + this.inFlight;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const now = Date.now();
    while (this.inFlight < this.options.concurrency) {
      const index = this.due.findIndex((d) => d.at <= now);
      if (index < 0) return;
      const [{ item }] = this.due.splice(index, 1) as [{ at: number; item: Outbound }];
      this.inFlight++;
      void this.send(item).finally(() => this.inFlight--);
    }
  }

  private async send(item: Outbound): Promise<void> {
    let status: string;
    try {
      const response = await fetch(item.url(), { method: 'POST', headers: item.headers, body: item.body, signal: AbortSignal.timeout(15_000) });
      await response.body?.cancel();
      status = String(response.status);
    } catch {
      status = 'network';
    }
    if (status === 'network' || status.startsWith('5')) {
      this.stats.retried++;
      this.enqueue(item, RETRY_MS);
      return;
    }
    this.stats.sent++;
    this.stats.statuses[`${item.kind} ${status}`] = (this.stats.statuses[`${item.kind} ${status}`] ?? 0) + 1;
  }
}

export interface WebhookRelay {
  readonly url: string;
  /** Events the simulator sent (pings aside). */
  readonly received: () => number;
  close(): Promise<void>;
}

/** The relay's endpoint, which the Greenhouse simulator is pointed at. */
export async function startWebhookRelay(dispatcher: Dispatcher, target: () => string): Promise<WebhookRelay> {
  let received = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      response.writeHead(200).end();
      if (body.includes('"action":"ping"')) return;
      received++;
      const eventId = String(request.headers['greenhouse-event-id'] ?? randomUUID());
      const signature = String(request.headers['signature'] ?? '');
      for (const id of [eventId, eventId, randomUUID()]) {
        dispatcher.enqueue({
          url: target,
          kind: 'webhook',
          body,
          headers: { 'content-type': 'application/json', signature, 'greenhouse-event-id': id, 'user-agent': 'Greenhouse' },
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received: () => received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

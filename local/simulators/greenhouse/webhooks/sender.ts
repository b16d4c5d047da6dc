import { randomUUID } from 'node:crypto';
import { setTimeout as sleepReal } from 'node:timers/promises';
import { signGreenhouseBody } from '#core/webhooks/signature';
import type { Clock } from '../../shared/clock.ts';

/**
 * Delivers webhooks the way Greenhouse does (reference §5.2–5.4):
 * - `POST`, `Content-Type: application/json`, `Signature: sha256 <hex>` over the exact body [H];
 * - a `Greenhouse-Event-ID` per event [H], reused on every retry of it (the docs do not say; the
 *   bridge dedupes on it, so the simulator takes the stricter reading) — assumed;
 * - success is exactly HTTP 200 [M]; anything else, a timeout or a network error is a failure;
 * - up to 7 attempts, the gaps after each failure 1, 15, 60, 120, 240, 480 minutes [H], counted on
 *   the simulator's clock, so a scaled or advanced SimClock runs the schedule in moments;
 * - body bytes JSON-escape `<`, `>`, `&` as Greenhouse's serializer does, which is why receivers
 *   must verify the raw bytes [H] (gotcha 13).
 */
export const RETRY_GAPS_MINUTES = [1, 15, 60, 120, 240, 480] as const;
export const MAX_ATTEMPTS = RETRY_GAPS_MINUTES.length + 1;

export interface WebhookTarget {
  readonly url: string;
  readonly secret: string;
  /** Actions this endpoint is registered for; all when absent (one Greenhouse web hook per event in reality). */
  readonly actions?: readonly string[];
}

export interface DeliveryAttempt {
  /** Simulated time of the attempt. */
  readonly at: string;
  readonly status?: number;
  readonly error?: string;
}

export interface WebhookDelivery {
  readonly id: number;
  readonly eventId: string;
  readonly action: string;
  readonly url: string;
  readonly body: string;
  readonly signature: string;
  readonly attempts: DeliveryAttempt[];
  state: 'pending' | 'delivered' | 'failed';
  /** Simulated epoch ms of the next attempt, while pending. */
  nextAttemptAt: number | null;
}

export interface WebhookSenderOptions {
  readonly targets?: readonly WebhookTarget[];
  readonly fetch?: typeof fetch;
  /** Real milliseconds a receiver gets to answer (Greenhouse's timeout is undocumented [L]). */
  readonly timeoutMs?: number;
  /** Real milliseconds between checks for due retries. */
  readonly tickMs?: number;
}

/** Greenhouse's JSON escapes HTML-significant characters and the JS line separators. */
export function greenhouseJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export class WebhookSender {
  private targets: WebhookTarget[];
  private readonly log: WebhookDelivery[] = [];
  private readonly inFlight = new Map<number, Promise<void>>();
  private readonly timer: NodeJS.Timeout;
  private readonly fetch: typeof fetch;
  private nextId = 1;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly options: WebhookSenderOptions = {},
  ) {
    this.targets = [...(options.targets ?? [])];
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timer = setInterval(() => this.tick(), options.tickMs ?? 20);
    this.timer.unref();
  }

  setTargets(targets: readonly WebhookTarget[]): void {
    this.targets = [...targets];
  }

  get currentTargets(): readonly WebhookTarget[] {
    return this.targets;
  }

  isSubscribed(action: string): boolean {
    return this.targets.some((t) => !t.actions || t.actions.includes(action));
  }

  /**
   * Queues one event to every endpoint registered for its action (or to `only`, for a ping); the
   * first attempt goes out at once.
   */
  emit(action: string, payload: unknown, only?: readonly WebhookTarget[]): WebhookDelivery[] {
    const body = greenhouseJson({ action, payload });
    const eventId = randomUUID();
    const created = (only ?? this.targets.filter((t) => !t.actions || t.actions.includes(action)))
      .map((target) => {
        const delivery: WebhookDelivery = {
          id: this.nextId++,
          eventId,
          action,
          url: target.url,
          body,
          signature: signGreenhouseBody(Buffer.from(body, 'utf8'), target.secret),
          attempts: [],
          state: 'pending',
          nextAttemptAt: this.clock.now(),
        };
        this.log.push(delivery);
        return delivery;
      });
    if (created.length > 0) setImmediate(() => this.tick());
    return created;
  }

  deliveries(): readonly WebhookDelivery[] {
    return this.log;
  }

  clearLog(): void {
    for (let i = this.log.length - 1; i >= 0; i--) if (this.log[i]!.state !== 'pending') this.log.splice(i, 1);
  }

  /** Resolves once nothing is in flight and no attempt is due (on the simulated clock). */
  async settled(): Promise<void> {
    for (;;) {
      this.tick();
      if (this.inFlight.size === 0 && !this.log.some((d) => this.isDue(d))) return;
      await Promise.all(this.inFlight.values());
      await sleepReal(1);
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.all(this.inFlight.values());
  }

  private isDue(d: WebhookDelivery): boolean {
    return d.state === 'pending' && d.nextAttemptAt !== null && d.nextAttemptAt <= this.clock.now();
  }

  private tick(): void {
    if (this.stopped) return;
    for (const delivery of this.log) {
      if (!this.isDue(delivery) || this.inFlight.has(delivery.id)) continue;
      const attempt = this.attempt(delivery).finally(() => this.inFlight.delete(delivery.id));
      this.inFlight.set(delivery.id, attempt);
    }
  }

  private async attempt(delivery: WebhookDelivery): Promise<void> {
    const at = new Date(this.clock.now()).toISOString();
    let result: DeliveryAttempt;
    try {
      const response = await this.fetch(delivery.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Signature: delivery.signature,
          'Greenhouse-Event-ID': delivery.eventId,
          'User-Agent': 'Greenhouse',
        },
        body: delivery.body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        redirect: 'manual',
      });
      await response.body?.cancel();
      result = { at, status: response.status };
    } catch (error) {
      result = { at, error: error instanceof Error ? error.name : 'unknown' };
    }
    delivery.attempts.push(result);
    if (result.status === 200) {
      delivery.state = 'delivered';
      delivery.nextAttemptAt = null;
    } else if (delivery.attempts.length >= MAX_ATTEMPTS) {
      delivery.state = 'failed';
      delivery.nextAttemptAt = null;
    } else {
      const gap = RETRY_GAPS_MINUTES[delivery.attempts.length - 1]!;
      delivery.nextAttemptAt = this.clock.now() + gap * 60_000;
    }
  }
}

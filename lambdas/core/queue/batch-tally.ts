import { RateLimited } from '#core/api-errors';
import type { TrafficPriority } from '#core/rate/budget';
/**
 * One queue batch's tally and the hand-backs it owes, decided here and carried out by the consumer
 * shell (lambdas/handlers/fifo-consumer.ts) once the batch is done. Every message that waits does so
 * for its own time; one the FIFO processor skipped because its group failed earlier in the batch waits
 * as long as its group, so the group's order holds without blocking it for the queue's whole
 * visibility timeout.
 */
export interface BatchMessage {
  readonly messageId: string;
  readonly groupId?: string;
}

export interface HandBack {
  readonly messageId: string;
  readonly seconds: number;
}

/**
 * Which messages a batch's rate-limit pause holds back. The budget refusing a bulk message says only
 * that bulk traffic's part of the window is spent: live messages behind it find the live reserve
 * (core/rate/budget.ts liveReserve), so they are still tried, and bulk ones wait. A server's 429, or
 * the budget refusing a live message, says the whole window is spent: everyone waits.
 */
export type PauseHolds = 'bulk' | 'all';

export function pauseHolds(error: unknown, priority: TrafficPriority): PauseHolds {
  return error instanceof RateLimited && error.source === 'budget' && priority === 'bulk' ? 'bulk' : 'all';
}

export class BatchTally {
  processed = 0;
  failed = 0;
  deadLettered = 0;
  /** Set by a rate limit: the rest of the batch (or of its bulk messages) waits this long, untried. */
  pause: { readonly seconds: number; readonly reason: string; readonly holds: PauseHolds } | undefined;
  private readonly waiting = new Map<string, { seconds: number; reason: string }>();
  private readonly groupWait = new Map<string, number>();

  /** A rate limit met by a message of `priority`: a later pause may widen what is held or wait longer, never narrow or shorten. */
  pauseAfter(error: unknown, priority: TrafficPriority, seconds: number, reason: string): void {
    const holds = this.pause?.holds === 'all' ? 'all' : pauseHolds(error, priority);
    this.pause = { seconds: Math.max(seconds, this.pause?.seconds ?? 0), reason, holds };
  }

  wait(message: BatchMessage, seconds: number, reason: string): void {
    this.waiting.set(message.messageId, { seconds, reason });
    if (message.groupId !== undefined) this.groupWait.set(message.groupId, Math.max(seconds, this.groupWait.get(message.groupId) ?? 0));
  }

  /** The failed messages of the batch that wait, with how long, and how many wait for each reason. */
  handBacks(messages: readonly BatchMessage[], failedIds: ReadonlySet<string>): { readonly items: HandBack[]; readonly reasons: Record<string, number> } {
    const items: HandBack[] = [];
    const reasons: Record<string, number> = {};
    for (const message of messages) {
      if (!failedIds.has(message.messageId)) continue;
      const own = this.waiting.get(message.messageId);
      const seconds = own?.seconds ?? (message.groupId !== undefined ? this.groupWait.get(message.groupId) : undefined);
      if (seconds === undefined) continue;
      items.push({ messageId: message.messageId, seconds });
      const reason = own?.reason ?? 'behind its group';
      reasons[reason] = (reasons[reason] ?? 0) + 1;
    }
    return { items, reasons };
  }
}

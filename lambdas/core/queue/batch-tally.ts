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

export class BatchTally {
  processed = 0;
  failed = 0;
  deadLettered = 0;
  /** Set by a rate limit: the rest of the batch waits this long, untried. */
  pause: { readonly seconds: number; readonly reason: string } | undefined;
  private readonly waiting = new Map<string, { seconds: number; reason: string }>();
  private readonly groupWait = new Map<string, number>();

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

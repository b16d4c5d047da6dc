/**
 * Requests per route (method and route pattern, e.g. `GET /v1/contact/:id`) and per status, so tests
 * can assert how many calls a client made: one token mint for ten concurrent callers, no second call
 * to a capability found missing.
 */
export class RequestLog {
  private readonly counts = new Map<string, { total: number; byStatus: Record<number, number> }>();

  record(route: string, status: number): void {
    const entry = this.counts.get(route) ?? { total: 0, byStatus: {} };
    entry.total++;
    entry.byStatus[status] = (entry.byStatus[status] ?? 0) + 1;
    this.counts.set(route, entry);
  }

  count(route: string, status?: number): number {
    const entry = this.counts.get(route);
    if (!entry) return 0;
    return status === undefined ? entry.total : (entry.byStatus[status] ?? 0);
  }

  total(): number {
    let sum = 0;
    for (const entry of this.counts.values()) sum += entry.total;
    return sum;
  }

  snapshot(): Record<string, { total: number; byStatus: Record<number, number> }> {
    return Object.fromEntries([...this.counts.entries()].map(([route, entry]) => [route, { total: entry.total, byStatus: { ...entry.byStatus } }]));
  }

  reset(): void {
    this.counts.clear();
  }
}

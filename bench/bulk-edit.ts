import { startLocalStack } from '#local/stack';
import { localSqsClient } from '#local/sdk-clients';
import { callJson } from '../test/support/http.ts';
import { drain, untilQuiet } from '../test/support/queues.ts';

/**
 * The everyday case of "What reaches a dead-letter queue" (docs/architecture.md) at full size: a
 * recruiter bulk-edits 500 candidates, Greenhouse sends 500 webhooks at once, and the bridge must
 * reconcile all of them at Greenhouse's documented integration limit (50 per 30 s) with nothing
 * dead-lettered, within five minutes. Reading each candidate on its own (about six calls) made that
 * ~35 minutes; the consumers now read a batch of candidates in one call per resource. The bound is the
 * rate limit, not the bridge.
 */
/** Recorded before batched reads, at 500 edits and 50 per 30 s: the figure the printout compares with. */
export const BULK_EDIT_BASELINE = { drainMinutes: 35 } as const;
const TARGET_SECONDS = 300;
/** Greenhouse's documented limit per credential, per 30-second window. */
const DOCUMENTED_LIMIT = 50;
export interface BulkEditResult {
  readonly candidates: number;
  readonly greenhouseLimit: number;
  readonly seconds: number;
  /** 30-second windows the Greenhouse calls needed at the limit: the bound on `seconds`. */
  readonly windowsAtLimit: number;
  readonly stale: number;
  readonly deadLettered: number;
  readonly greenhouseCallsPerEdit: number;
  readonly greenhouse429s: number;
  readonly beameryWritesPerEdit: number;
}

interface StoredContact {
  readonly experience: { role?: string; current?: boolean }[];
  readonly integrations?: { greenhouse?: { id?: string } };
}

const SECRET = 'bulk-edit-bench-secret';

export async function benchBulkEdit({ candidates = 500, greenhouseLimit = DOCUMENTED_LIMIT, log = (line: string) => process.stderr.write(`${line}\n`) } = {}): Promise<BulkEditResult> {
  process.env['POWERTOOLS_LOG_LEVEL'] = 'ERROR';
  process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
  const stack = await startLocalStack({ webhookSecret: SECRET, pollIntervalMs: 0 });
  const sqs = localSqsClient(stack.sqsEndpoint);
  const greenhouse = (method: string, path: string, body?: unknown) => callJson(stack.greenhouse, method, `/_admin${path}`, body);
  const beamery = (method: string, path: string, body?: unknown) => callJson(stack.beamery.replace(/\/v1$/, ''), method, `/_admin${path}`, body);
  try {
    const generated = (await greenhouse('POST', '/generate/candidates', { count: candidates, seed: 21 })) as { minId: number; maxId: number };
    const ids = Array.from({ length: generated.maxId - generated.minId + 1 }, (_, i) => generated.minId + i);
    await greenhouse('PUT', '/rate-limit', { limit: greenhouseLimit });
    await greenhouse('DELETE', '/requests');
    await beamery('DELETE', '/requests');
    const rejectedBefore = ((await greenhouse('GET', '/rate-limit')) as { apiRejected: number }).apiRejected;

    const started = Date.now();
    for (const id of ids) await greenhouse('PATCH', `/candidates/${id}`, { title: `Bulk Title ${id}` });
    await greenhouse('POST', '/webhooks/settle');
    log(`bulk-edit: ${ids.length} edits sent; waiting for the queue to drain`);
    await untilQuiet(sqs, [stack.resources.queues['greenhouse-changes'].url], 3_000, 30 * 60_000);
    const seconds = (Date.now() - started) / 1000;

    const state = (await beamery('GET', '/state')) as { contacts: StoredContact[] };
    const roleOf = new Map(state.contacts.map((c) => [c.integrations?.greenhouse?.id, c.experience.find((e) => e.current)?.role ?? c.experience[0]?.role]));
    const stale = ids.filter((id) => roleOf.get(String(id)) !== `Bulk Title ${id}`).length;
    const deadLettered = (await drain(sqs, stack.resources.queues['greenhouse-changes'].deadLetter.url)).length;
    const greenhouseCounts = (await greenhouse('GET', '/requests')) as Record<string, number>;
    const greenhouseCalls = Object.entries(greenhouseCounts).reduce((sum, [route, n]) => (route.includes(' /v3/') ? sum + n : sum), 0);
    const beameryCounts = (await beamery('GET', '/requests')) as Record<string, { total: number }>;
    const beameryWrites = Object.entries(beameryCounts)
      .filter(([route]) => /^(POST|PATCH|PUT|DELETE) /.test(route) && !route.includes('/oauth/token'))
      .reduce((sum, [, e]) => sum + e.total, 0);
    const rejected = ((await greenhouse('GET', '/rate-limit')) as { apiRejected: number }).apiRejected - rejectedBefore;
    return {
      candidates: ids.length,
      greenhouseLimit,
      seconds: Math.round(seconds),
      windowsAtLimit: Math.ceil(greenhouseCalls / greenhouseLimit),
      stale,
      deadLettered,
      greenhouseCallsPerEdit: Number((greenhouseCalls / ids.length).toFixed(2)),
      greenhouse429s: rejected,
      beameryWritesPerEdit: Number((beameryWrites / ids.length).toFixed(2)),
    };
  } finally {
    sqs.destroy();
    await stack.stop();
  }
}

export function describeBulkEdit(r: BulkEditResult): string[] {
  return [
    `bulk-edit: ${r.candidates} candidates edited at once, Greenhouse limit ${r.greenhouseLimit} per 30 s`,
    `  converged in ${r.seconds} s (${r.windowsAtLimit} windows of calls at the limit = ${r.windowsAtLimit * 30} s bound)`,
    `  target: drained in ${r.seconds} s (before: ~${BULK_EDIT_BASELINE.drainMinutes} min; target ≤ ${TARGET_SECONDS} s at ${DOCUMENTED_LIMIT} per 30 s: ${r.seconds <= TARGET_SECONDS && r.greenhouseLimit <= DOCUMENTED_LIMIT ? 'met' : 'MISSED'})`,
    `  stale ${r.stale}, dead-lettered ${r.deadLettered}; Greenhouse calls per edit ${r.greenhouseCallsPerEdit} (${r.greenhouse429s} × 429), Beamery writes per edit ${r.beameryWritesPerEdit}`,
  ];
}

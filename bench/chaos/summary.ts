import type { ChaosResult } from './run.ts';

/** The summary `npm run chaos` prints. */
export function describeChaos(r: ChaosResult): string[] {
  const v = r.verdict;
  const list = (ids: readonly number[]) => (ids.length === 0 ? '0' : `${ids.length} (e.g. ${ids.slice(0, 5).join(', ')})`);
  const kinds = Object.entries(r.changes.byKind).map(([k, n]) => `${n} ${k}`).join(', ');
  return [
    `chaos: ${r.options.changes} changes (${kinds}) in ${r.seconds.changes} s; quiet ${r.seconds.quiet} s later; ${r.seconds.total} s in all`,
    `  deliveries: ${r.deliveries.events} webhook events ×3 (same id twice, a new id once) + ${r.changes.beamery} pushes + ${r.changes.poison} poison, shuffled over ${r.options.shuffleWindowMs / 1000} s: ` +
      `${r.deliveries.sent} answered, ${r.deliveries.retried} retried after a 5xx or no answer; ${formatCounts(r.deliveries.statuses)}`,
    `  faults: ${r.options.serverErrorRate * 100}% 5xx on both APIs (Beamery answered ${formatCounts(r.faults.beameryByStatus)}), ` +
      `${r.faults.storms} 429 storms (Greenhouse 429s: ${r.faults.greenhouse429}), lost answers: Beamery ${r.faults.beameryLostAnswers}, Greenhouse ${r.faults.greenhouseLostAnswers}; ` +
      `${r.faults.kills} consumer kills (SIGKILL, ${r.faults.killsMidBatch} mid-batch), ${r.faults.timeouts} timed-out invocations (environment replaced), ${r.faults.stackRestarts} whole-stack restarts`,
    `  limits: Greenhouse ${r.options.greenhouseLimit} per 30 s, Beamery ${r.options.beameryLimit}/s; ${r.options.consumerProcesses} consumer processes × ${r.options.consumerConcurrency} batches; visibility ${r.options.visibilityTimeoutSeconds} s`,
    `  contacts: exactly one for ${v.exactlyOne} of ${v.nonPrivate} non-private candidates; missing ${list(v.missing)}; duplicated ${list(v.duplicated)}; private leaked ${list(v.privateLeaked)}; extra vacancies ${v.duplicatedVacancies}`,
    `  stale fields: ${v.stale.total}${v.stale.total ? ` (${formatCounts(v.stale.byField)}; ${v.stale.examples.join('; ')})` : ''}`,
    ...Object.entries(v.deadLetters).map(
      ([queue, d]) => `  ${queue}-dlq: ${d.total} message(s), ${d.healthy} healthy, ${d.poison} poison${d.total ? ` (${formatCounts(d.reasons)})` : ''}`,
    ),
    `  healthy messages dead-lettered: ${v.healthyDeadLettered}`,
    `  writes: Beamery ${r.writes.beameryTotal} for ${r.changes.greenhouse} Greenhouse changes = ${r.writes.beameryPerGreenhouseChange} per change (${formatCounts(r.writes.beamery)}); ` +
      `Greenhouse ${r.writes.greenhouseTotal} for ${r.changes.beamery} Beamery changes = ${r.writes.greenhousePerBeameryChange} per change`,
    `  ${r.passed ? 'PASSED' : 'FAILED'}: 0 missing, 0 duplicated, 0 stale, 0 healthy dead-lettered${r.passed ? '' : ` (consumer log: ${r.consumerLog})`}`,
  ];
}

function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');
}

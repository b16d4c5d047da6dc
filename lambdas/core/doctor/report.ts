/**
 * What `bridge doctor` found about the configured tenants: one line per check, each with the evidence
 * an operator (or support) needs to act on it without re-running anything: the status code, the
 * header value, the field seen. Pure: the checks themselves live in lambdas/adapters/doctor.
 */
export type CheckStatus = 'ok' | 'fail' | 'unknown';

export interface CheckResult {
  /** Stable and dotted, system first: `greenhouse.list.candidates`, `beamery.contact-read`. */
  readonly id: string;
  readonly status: CheckStatus;
  /** What was seen, in words without candidate data (ids and field names only). */
  readonly evidence: string;
  /**
   * The capabilities a consumer relies on that this check convicts when it fails (e.g.
   * `beamery.contactRead`): consumers stop on them instead of guessing (see brokenCapabilities).
   */
  readonly capabilities?: readonly string[];
}

export interface DoctorReport {
  /** ISO instant the run started. */
  readonly ranAt: string;
  readonly writeTest: boolean;
  /** The base URLs checked (no credentials). */
  readonly targets: { readonly greenhouse: string; readonly beamery: string };
  readonly checks: readonly CheckResult[];
}

export function summarize(report: Pick<DoctorReport, 'checks'>): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { ok: 0, fail: 0, unknown: 0 };
  for (const check of report.checks) counts[check.status] += 1;
  return counts;
}

/** Non-zero on any `fail`; `unknown` (a check that could not decide) is reported, not failed. */
export function doctorExitCode(report: Pick<DoctorReport, 'checks'>): 0 | 1 {
  return report.checks.some((c) => c.status === 'fail') ? 1 : 0;
}

/** One aligned line per check, then a summary line: what an operator reads at a terminal. */
export function formatReport(report: DoctorReport): string {
  const width = Math.max(0, ...report.checks.map((c) => c.id.length));
  const lines = report.checks.map((c) => `${c.status.padEnd(7)} ${c.id.padEnd(width)}  ${c.evidence}`);
  const { ok, fail, unknown } = summarize(report);
  const mode = report.writeTest ? 'read-only and write checks' : 'read-only checks';
  lines.push(
    '',
    `${report.checks.length} ${mode} against greenhouse=${report.targets.greenhouse} beamery=${report.targets.beamery}: ${ok} ok, ${fail} fail, ${unknown} unknown`,
  );
  return lines.join('\n');
}

/**
 * The capabilities the report convicts, with the evidence and when: what a consumer reads before it
 * relies on one. A later run that passes the check clears it (the whole report is replaced).
 */
export function brokenCapabilities(report: DoctorReport): ReadonlyMap<string, string> {
  const broken = new Map<string, string>();
  for (const check of report.checks) {
    if (check.status !== 'fail') continue;
    for (const capability of check.capabilities ?? []) {
      if (!broken.has(capability)) broken.set(capability, `bridge doctor at ${report.ranAt}, check ${check.id}: ${check.evidence}`);
    }
  }
  return broken;
}

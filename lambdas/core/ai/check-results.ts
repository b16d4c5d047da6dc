/**
 * The shape every rule-based check of an AI workflow gives (job-description drafts, offer checks):
 * pass or fail, with findings a reviewer can act on, written into the workflow's note as they are.
 */
export interface Finding {
  /** `fail` fails its check; `warn` is shown and does not. */
  readonly severity: 'fail' | 'warn';
  readonly message: string;
}

export interface CheckResult<Name extends string = string> {
  readonly check: Name;
  readonly passed: boolean;
  readonly findings: readonly Finding[];
  /** What was compared, pass or fail (`USD 128,000 within USD 110,000–140,000`), for the note. */
  readonly detail?: string;
}

/** A check passes unless one of its findings fails it. */
export function checkResult<Name extends string>(check: Name, findings: readonly Finding[], detail?: string): CheckResult<Name> {
  return { check, passed: !findings.some((f) => f.severity === 'fail'), findings, ...(detail ? { detail } : {}) };
}

/** Counts for the Audit and the outcome: checks passed and failed, findings by check. */
export function checksSummary<Name extends string>(results: readonly CheckResult<Name>[]): { passed: number; failed: number; findings: Partial<Record<Name, number>> } {
  return {
    passed: results.filter((r) => r.passed).length,
    failed: results.filter((r) => !r.passed).length,
    findings: Object.fromEntries(results.filter((r) => r.findings.length).map((r) => [r.check, r.findings.length])) as Partial<Record<Name, number>>,
  };
}

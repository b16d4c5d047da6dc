import { AI_NOTE_PREFIX } from '../ai-notes.ts';
import { OFFER_CHECKS_VERSION, type OfferCheckName, type OfferCheckResult } from './checks.ts';

/**
 * The private note an offer's checks leave on its application: one line per check, passed or failed,
 * with what was compared and why it failed, then what became of the approvals. It starts like the
 * other AI notes (the sync does not copy it to Beamery) and says it decides nothing.
 */
const TITLES: Readonly<Record<OfferCheckName, string>> = {
  'pay-within-band': 'Pay within band',
  'required-fields': 'Required fields',
  'start-date': 'Start date',
  'pay-disclosure': 'Pay disclosure',
  'approval-flow': 'Approval flow',
};

/** What became of the approvals: requested now, already requested, or why not. */
export type ApprovalsOutcome =
  | { readonly kind: 'requested'; readonly flowId: number }
  | { readonly kind: 'already-requested'; readonly flowId: number }
  | { readonly kind: 'not-requested'; readonly reason: 'checks-failed' | 'setting-off' | 'shadow' | 'no-flow' };

const APPROVALS_TEXT = (a: ApprovalsOutcome, failed: number): string => {
  switch (a.kind) {
    case 'requested':
      return `Approvals requested from approval flow ${a.flowId}: the approvers decide.`;
    case 'already-requested':
      return `Approvals of flow ${a.flowId} had already been requested; nothing was asked again.`;
    case 'not-requested':
      return {
        'checks-failed': `Approvals not requested: ${failed} check${failed === 1 ? '' : 's'} failed. Correct the offer in Greenhouse (or request them there, with a reason).`,
        'setting-off': 'Approvals not requested: the bridge leaves that to people here (ai.offers.requestApprovals is off).',
        shadow: 'Approvals not requested (shadow mode).',
        'no-flow': 'Approvals not requested: the offer has no approval flow.',
      }[a.reason];
  }
};

export function offerChecksNote(offer: { readonly id: number; readonly version?: number | null }, checks: readonly OfferCheckResult[], approvals: ApprovalsOutcome): string {
  const passed = checks.filter((c) => c.passed).length;
  const version = offer.version ? ` (version ${offer.version})` : '';
  const lines = [`${AI_NOTE_PREFIX.offers}offer ${offer.id}${version}: ${passed} of ${checks.length} checks passed · advisory, not a decision`, ''];
  for (const check of checks) {
    lines.push(`${check.passed ? '✓' : '✗'} ${TITLES[check.check]}${check.detail ? ` — ${check.detail}` : ''}`);
    for (const finding of check.findings) lines.push(`   • ${finding.message}`);
  }
  lines.push(
    '',
    APPROVALS_TEXT(approvals, checks.length - passed),
    `Rules: ai.offers (bands, required fields) and ai.payTransparency · ${OFFER_CHECKS_VERSION}, no language model. Nothing was approved, changed or sent.`,
  );
  return lines.join('\n');
}

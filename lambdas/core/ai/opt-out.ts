import type { Candidate } from '#core/greenhouse/records';
import { consentStatusText } from '#core/mapping/person';
import { isoNow, type Clock } from '#core/clock';
import { entityKey } from '#core/envelope';
import type { AuditStore } from '#core/sync/ports';
import type { OptOutSettings } from './settings.ts';

/**
 * Whether the candidate opted out of AI review: the configured tag (any case) or a yes in the
 * configured custom field. A candidate the bridge cannot read has not been shown to have opted out,
 * but neither can anything be screened for them, so the workflows stop on a missing record anyway.
 */
export function optedOut(candidate: Pick<Candidate, 'tags' | 'custom_fields'> | undefined, settings: OptOutSettings): boolean {
  if (!candidate) return false;
  const tag = settings.tag.toLowerCase();
  if ((candidate.tags ?? []).some((t) => t.trim().toLowerCase() === tag)) return true;
  return settings.field !== undefined && consentStatusText(candidate.custom_fields?.[settings.field]?.value) === 'true';
}

/** The Audit's record that a workflow left an application alone because its candidate opted out: ids only. */
export async function recordOptedOut(deps: { readonly audit: AuditStore; readonly clock: Pick<Clock, 'now'> }, workflow: string, applicationId: number): Promise<void> {
  await deps.audit.record({
    kind: 'ai-opted-out',
    entityKey: entityKey('greenhouse', 'application', applicationId),
    summary: `${workflow} not run: the candidate opted out of AI review. Nothing was sent to a model or written back.`,
    detail: { workflow, applicationId },
    at: isoNow(deps.clock),
  });
}

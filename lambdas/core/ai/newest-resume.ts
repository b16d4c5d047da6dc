import type { Attachment } from '#core/greenhouse/records';

/** The newest resume among a listing's attachments (a filtered listing may still hold other types). */
export function newestResume<A extends Pick<Attachment, 'type' | 'created_at'>>(attachments: readonly A[]): A | undefined {
  return attachments.filter((a) => a.type === 'resume').sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''))[0];
}

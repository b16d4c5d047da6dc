import type { Job, JobPost } from '#core/greenhouse/records';

/**
 * The requirements a screening judges, from a Greenhouse job post's `content` (HTML, as Harvest v3
 * returns it): each list item is one requirement; without lists, each sentence of the text is.
 * Written by hand rather than with an HTML parser: job posts are short, well-formed fragments, and
 * only list items and text are wanted; entities are decoded for the few that job posts use.
 */
const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

function text(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#?\w+);/g, (whole, name: string) => ENTITIES[name] ?? (name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : whole))
    .replace(/\s+/g, ' ')
    .trim();
}

/** At most this many requirements (a long post's first ones), each at most 300 characters. */
export const MAX_REQUIREMENTS = 40;

export function requirementsFromJobPost(html: string): string[] {
  const items = [...html.matchAll(/<li\b[^>]*>([\s\S]*?)<\/li>/gi)].map((m) => text(m[1]!)).filter(Boolean);
  const requirements = items.length > 0 ? items : text(html).split(/(?<=[.!?])\s+/).filter((s) => s.length > 3);
  return [...new Set(requirements.map((r) => r.slice(0, 300)))].slice(0, MAX_REQUIREMENTS);
}

/**
 * The post a workflow judges against and its requirements: the one `preferredPostId` names (the post
 * an applicant applied through), else the live one, else any, each only if it has content.
 */
export function jobPostRequirements(
  posts: readonly JobPost[],
  job: Pick<Job, 'name'>,
  preferredPostId?: number | null,
): { readonly jobTitle: string; readonly requirements: string[] } {
  const withContent = posts.filter((p) => p.content);
  const post = withContent.find((p) => p.id === preferredPostId) ?? withContent.find((p) => p.live) ?? withContent[0];
  return { jobTitle: post?.title ?? job.name ?? 'Untitled job', requirements: post?.content ? requirementsFromJobPost(post.content) : [] };
}

import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import type { JobPost } from '#core/greenhouse/records';
import type { Embedder } from '../rediscovery/ports.ts';
import { requirementsFromJobPost } from '../screening/job-requirements.ts';
import type { SimilarPost } from './ports.ts';

/**
 * The tenant's past job posts most like a new job, by embedding: the job's name and department are
 * the query, each other job's post its title and content; cosine similarity, best `k`. The new job's
 * own posts are left out (they are what the draft may replace). Posts with the same title and content
 * (one job posted on several boards) count once.
 */

/** At most this many posts are read and embedded per run: the first ones the list gives, so a large tenant's run stays bounded. */
export const MAX_CANDIDATE_POSTS = 200;
/** Characters of each post that are embedded. */
const EMBED_CHARS = 4000;

// A heading, or a paragraph that is all bold, as job posts mark their sections.
const HEADING = /<h[1-6]\b[^>]*>([\s\S]*?)<\/h[1-6]>|<p\b[^>]*>\s*<(?:strong|b)\b[^>]*>([\s\S]*?)<\/(?:strong|b)>\s*<\/p>/gi;

/** A post's HTML as sections of plain text: each heading with the list items (or sentences) under it. */
export function postSections(html: string): SimilarPost['sections'] {
  const sections: { heading: string; items: string[] }[] = [];
  const push = (heading: string, chunk: string) => {
    const items = requirementsFromJobPost(chunk);
    if (heading || items.length) sections.push({ heading, items });
  };
  let heading = '';
  let from = 0;
  for (const m of html.matchAll(HEADING)) {
    push(heading, html.slice(from, m.index));
    heading = requirementsFromJobPost(m[1] ?? m[2] ?? '').join(' ');
    from = m.index + m[0].length;
  }
  push(heading, html.slice(from));
  return sections;
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

export interface SimilarPostsDependencies {
  readonly greenhouse: Pick<GreenhouseApi, 'listJobPosts'>;
  readonly embedder: Embedder;
}

export async function findSimilarPosts(
  job: { readonly id: number; readonly name: string; readonly department: string | null },
  k: number,
  deps: SimilarPostsDependencies,
): Promise<SimilarPost[]> {
  if (k <= 0) return [];
  const seen = new Set<string>();
  const candidates: (JobPost & { content: string })[] = [];
  // Read lazily: the listing stops paging once enough posts are in hand.
  for await (const post of deps.greenhouse.listJobPosts()) {
    if (post.job_id === job.id || !post.content?.trim()) continue;
    const key = `${post.title ?? ''}\n${post.content}`;
    if (seen.has(key)) continue;
    seen.add(key);
    candidates.push(post as JobPost & { content: string });
    if (candidates.length >= MAX_CANDIDATE_POSTS) break;
  }
  if (!candidates.length) return [];

  const sectioned = candidates.map((post) => ({ post, sections: postSections(post.content) }));
  const [query] = (await deps.embedder.embed([[job.name, job.department ?? ''].join('\n').trim()], 'query')).vectors;
  const documents = await deps.embedder.embed(
    sectioned.map(({ post, sections }) => [post.title ?? '', ...sections.flatMap((s) => [s.heading, ...s.items])].join('\n').slice(0, EMBED_CHARS)),
    'document',
  );
  return sectioned
    .map(({ post, sections }, i) => ({ id: post.id, title: post.title ?? '', score: cosine(query!, documents.vectors[i]!), sections }))
    .filter((p) => p.score > 0)
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, k);
}

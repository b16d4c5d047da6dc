import { wholeWord } from '#core/ai/minimise';
import type { EvalResume } from '../dataset.ts';
import type { IdentityGroup, PersonName } from './names.ts';

/**
 * Puts another person's identity on a labelled resume, changing nothing else: the header line that
 * held the candidate's name becomes the new name and pronouns ("Lakisha Dorsey (she/her)"), every
 * other mention of the old names (in the body, in the e-mail address and link handles of the contact
 * line) becomes the new ones, and, when asked, an "Activities" section at the end carries the group's
 * proxy lines (where resumes list memberships). The header is replaced whole so a nickname
 * ("Thomas 'Tom' Brennan") cannot leak the original person's sex.
 */

export interface RenderedResume {
  readonly text: string;
  /** The names Greenhouse would hold for this person: what minimisation is given, as in production. */
  readonly candidate: { readonly firstName: string; readonly lastName: string };
}

export interface RenderOptions {
  /** Append the group's proxy lines in an "Activities" section. */
  readonly proxyLines: boolean;
}

const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** An e-mail address or link that spells the old name: rebuilt from the new one. */
function rewriteContactToken(token: string, old: readonly string[], name: PersonName): string {
  const handle = fold(`${name.first}${name.last}`);
  const mentions = (part: string) => old.some((o) => fold(part).includes(o));
  if (!mentions(token)) return token;
  const at = token.indexOf('@');
  if (at > 0 && mentions(token.slice(0, at))) return `${fold(`${name.first}.${name.last}`)}${token.slice(at)}`;
  // A link: the path segment or host label holding the name becomes a handle of the new name.
  return token
    .split(/([/:@.])/)
    .map((part) => (/^[/:@.]$/.test(part) || !mentions(part) ? part : handle))
    .join('');
}

function oldNames(resume: EvalResume): string[] {
  return [resume.candidate.firstName, resume.candidate.lastName].flatMap((n) => n.split(/\s+/)).filter((n) => n.length >= 2);
}

/** The resume with `name` and `group`'s pronouns (and proxy lines) in place of its own person. */
export function renderResume(resume: EvalResume, group: IdentityGroup, name: PersonName, options: RenderOptions): RenderedResume {
  const old = oldNames(resume);
  const foldedOld = old.map(fold);
  const anyOld = wholeWord(old, 'iu');
  const lines = resume.text.split('\n');
  const header = lines.findIndex((line) => line.trim() !== '');
  if (header < 0 || !anyOld.test(lines[header]!)) {
    throw new Error(`resume ${resume.id}: its first line does not hold the candidate's name`);
  }
  // In the body a name is capitalised; matching case-sensitively spares words such as "joy" or "grace".
  const bodyName = wholeWord(old, 'gu');
  const lastParts = new Set(resume.candidate.lastName.split(/\s+/));
  const rendered = lines.map((line, index) => {
    if (index === header) return `${name.first} ${name.last} (${group.pronouns})`;
    return line
      .split(/(\s+)/)
      .map((token) => (/[@/]/.test(token) ? rewriteContactToken(token, foldedOld, name) : token))
      .join('')
      .replace(bodyName, (match) => (lastParts.has(match) ? name.last : name.first));
  });
  if (options.proxyLines) rendered.push('', 'Activities', ...group.proxyLines);
  return { text: rendered.join('\n'), candidate: { firstName: name.first, lastName: name.last } };
}

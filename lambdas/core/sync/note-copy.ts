import { entityIdOf } from '#core/envelope';
import { createHash } from 'node:crypto';
import { collect } from '#core/async-iterables';
import type { BeameryApi } from '#core/ports/beamery-api';
import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import type { LedgerStore } from './ports.ts';

/**
 * Copies notes from one system to the other at least once, and never twice (seed "Notes").
 *
 * The Ledger's copy mark (`markCopied(key, 'note', sourceId)`) is written only after the copy exists
 * in the target, so a run that dies before or during the write leaves no mark and its retry copies
 * the note. A run that dies after the write and before the mark would copy it again: so, before
 * writing, the target's notes are read once per run and a copy is recognised by its content (the
 * text the bridge writes, white space folded, hashed). A note found there is marked, not written.
 * The target is read only when some note lacks its mark, so a reconcile with every note copied costs
 * no extra request.
 *
 * Two runs for the same person at once could both write: the sync queues are FIFO and grouped by
 * entity, so one entity's reconciles do not overlap. A target that cannot list notes ('unsupported')
 * gets the write without the check; a duplicate is then possible only after a crash in that window.
 *
 * A copy the user later deletes in the target stays deleted: its mark is there.
 *
 * One window remains: a Greenhouse note written to Beamery by a run that died before its marks, and
 * polled from Beamery before the candidate's retry, would be copied back to Greenhouse once (its
 * Beamery text carries the bridge's header, so it does not match the Greenhouse original).
 */

export interface CopyableNote<W> {
  /** The source note's id: the copy mark. */
  readonly sourceId: string;
  /** What the target will hold as the note's text (the content key is taken from it). */
  readonly text: string;
  readonly write: W;
}

export interface ExistingNote {
  readonly id: string;
  readonly text: string;
}

export interface NoteCopyTarget<W> {
  /** The target's notes on this person now. */
  existing(): Promise<readonly ExistingNote[] | 'unsupported'>;
  /** Writes one copy; 'unsupported' stops the run (the tenant's API has no notes). */
  create(write: W): Promise<{ readonly id: string } | 'unsupported'>;
}

export interface NoteCopyRun<W> {
  readonly ledger: Pick<LedgerStore, 'isCopied' | 'markCopied'>;
  /** The Ledger key the marks are kept under (the source entity). */
  readonly key: string;
  readonly notes: readonly CopyableNote<W>[];
  readonly target: NoteCopyTarget<W>;
  /** Once the copy exists in the target (written now, or found there): e.g. the reverse direction's echo mark. */
  readonly onCopied?: (targetId: string) => Promise<void>;
}

/** Notes written to the target by this run (not those found there already). */
export async function copyNotesOnce<W>(run: NoteCopyRun<W>): Promise<number> {
  let present: Map<string, string> | 'unsupported' | undefined;
  let written = 0;
  for (const note of run.notes) {
    if (await run.ledger.isCopied(run.key, 'note', note.sourceId)) continue;
    present ??= indexByContent(await run.target.existing());
    const contentKey = noteContentKey(note.text);
    let targetId = present === 'unsupported' ? undefined : present.get(contentKey);
    if (targetId === undefined) {
      const created = await run.target.create(note.write);
      if (created === 'unsupported') return written;
      targetId = created.id;
      written++;
      if (present !== 'unsupported') present.set(contentKey, targetId);
    }
    await run.onCopied?.(targetId);
    await run.ledger.markCopied(run.key, 'note', note.sourceId);
  }
  return written;
}

/** The content key of a note's text: a hash, so no note text is kept or logged. */
export function noteContentKey(text: string): string {
  return createHash('sha256').update(text.replace(/\s+/g, ' ').trim()).digest('hex');
}

function indexByContent(notes: readonly ExistingNote[] | 'unsupported'): Map<string, string> | 'unsupported' {
  if (notes === 'unsupported') return notes;
  const index = new Map<string, string>();
  for (const note of notes) if (!index.has(noteContentKey(note.text))) index.set(noteContentKey(note.text), note.id);
  return index;
}

/** What the Beamery → Greenhouse copy needs (reconcile-contact.ts passes its own dependencies). */
export interface BeameryNoteCopyDependencies {
  readonly beamery: Pick<BeameryApi, 'listNotesSince'>;
  readonly greenhouse: Pick<GreenhouseApi, 'createNote' | 'listNotes'>;
  readonly ledger: Pick<LedgerStore, 'isCopied' | 'markCopied'>;
}

/**
 * Beamery notes → Greenhouse notes, at least once and never twice: public as public, private as
 * private (seed). A note the bridge itself copied from Greenhouse carries a mark under the contact key
 * and is not sent back; a note copied here marks its Greenhouse id under the candidate key, so the
 * Greenhouse → Beamery direction does not return it.
 */
export async function copyBeameryNotes(key: string, contactId: string, greenhouseKey: string, deps: BeameryNoteCopyDependencies): Promise<number> {
  const notes = await deps.beamery.listNotesSince(contactId);
  if (notes === 'unsupported' || notes.length === 0) return 0;
  const candidateId = Number(entityIdOf(greenhouseKey));
  return copyNotesOnce({
    ledger: deps.ledger,
    key,
    notes: notes.filter((n) => n.text.trim()).map((n) => ({ sourceId: n.id, text: n.text, write: { body: n.text, visibility: n.isPrivate ? ('private' as const) : ('public' as const) } })),
    target: {
      existing: async () => (await collect(deps.greenhouse.listNotes({ candidate_ids: [candidateId] }))).map((n) => ({ id: String(n.id), text: n.body ?? '' })),
      create: async (write) => ({ id: String((await deps.greenhouse.createNote({ candidate_id: candidateId, ...write })).id) }),
    },
    onCopied: async (noteId) => {
      await deps.ledger.markCopied(greenhouseKey, 'note', noteId);
    },
  });
}

import type { NoteWrite } from '#core/beamery/records';
import { isAiNote } from '#core/ai/ai-notes';
import type { Note } from '#core/greenhouse/records';

/**
 * Which Greenhouse notes go to the Beamery contact, and how. Seed: "The integration automatically
 * keeps all notes as private when syncing from Greenhouse to Beamery", and notes sync "when other
 * updates are made" (no webhook announces a note: every candidate reconcile re-selects, and
 * note-copy.ts copies each note at least once and never twice — not this module's job).
 *
 * v3 `GET /v3/notes` returns every activity type, not only notes (reference §4.6). Copied by default
 * are the human-written notes about the person: `NOTE` (what v1's activity feed called notes, the
 * seed's "Public Notes") and `LINKEDIN_NOTE` (a recruiter's note imported from LinkedIn). Not copied:
 * - `EMAIL`, `LINKEDIN_INMAIL`: correspondence, not notes; bodies are whole messages (often HTML,
 *   often quoting third parties) and Beamery keeps its own email history.
 * - `ACTIVITY`, `MIGRATION_ERROR`, `TOUCHPOINT`, `AVAILABILITY_REQUEST`, `FORM`, `TAKE_HOME_TEST`,
 *   `FOLLOW_UP`: system records of events.
 * - `INTERVIEW`, `FEEDBACK`: interview-panel material that Greenhouse scopes to the hiring team.
 * `copiedTypes` changes the list. Notes Greenhouse shows only to admins (`admin_only_visible`) stay
 * in Greenhouse unless `includeAdminOnly`: a Beamery private note is still readable by more people
 * than a Greenhouse admin-only one.
 */

export const DEFAULT_COPIED_NOTE_TYPES: readonly string[] = ['NOTE', 'LINKEDIN_NOTE'];

export interface NoteAuthor {
  /** Display name of the Greenhouse user who wrote the note. */
  readonly name?: string;
  /** The matching Beamery user (users are synced; see IdMap), when known. */
  readonly beameryUserId?: string;
}

export interface NotePolicy {
  readonly copiedTypes?: readonly string[];
  readonly includeAdminOnly?: boolean;
  /**
   * The bridge's own AI notes (screening, feedback synthesis; ai-notes.ts) are left out by default:
   * they were written for Greenhouse's hiring team, from material Beamery's users may not see, and a
   * copy would go stale when the workflow writes a new one. `true` copies them like any other note.
   */
  readonly includeAiNotes?: boolean;
  /** Applications left out of the sync (confidentialJobRule): their notes stay in Greenhouse. */
  readonly excludedApplicationIds?: ReadonlySet<number>;
}

export type NoteSkipReason = 'type-not-copied' | 'admin-only' | 'application-excluded' | 'empty-body' | 'ai-generated';

export interface MappedNote {
  /** The Greenhouse note id: the Ledger's copy mark (`markCopied(key, 'note', String(noteId))`). */
  readonly noteId: number;
  readonly write: NoteWrite;
}

export interface NoteSelection {
  /** In Greenhouse creation order (then id), so a timeline replays in order. */
  readonly copy: readonly MappedNote[];
  readonly skipped: readonly { readonly noteId: number; readonly reason: NoteSkipReason }[];
}

const TYPE_LABELS: Readonly<Record<string, string>> = {
  NOTE: 'Greenhouse note',
  LINKEDIN_NOTE: 'Greenhouse LinkedIn note',
  EMAIL: 'Greenhouse email',
};

/**
 * One Greenhouse note as a Beamery note: always private; the first line names the origin, the
 * author (if known) and the original date, because Beamery shows the API user as the author and the
 * copy's time as its date. `occurredAt` carries the original time for APIs that accept one.
 */
export function mapNote(note: Note, author?: NoteAuthor): NoteWrite {
  const label = TYPE_LABELS[note.type ?? ''] ?? 'Greenhouse note';
  const by = author?.name?.trim() ? ` by ${author.name.trim()}` : '';
  const date = isoDate(note.created_at);
  const header = `${label}${by}${date ? `, ${date}` : ''}`;
  const subject = note.subject?.trim();
  const body = (note.body ?? '').trim();
  return {
    text: [header, subject, body].filter(Boolean).join('\n\n'),
    isPrivate: true,
    ...(author?.beameryUserId ? { authorUserId: author.beameryUserId } : {}),
    ...(note.created_at ? { occurredAt: note.created_at } : {}),
  };
}

export function selectNotes(notes: readonly Note[], authorsByUserId: ReadonlyMap<number, NoteAuthor> = new Map(), policy: NotePolicy = {}): NoteSelection {
  const copiedTypes = new Set(policy.copiedTypes ?? DEFAULT_COPIED_NOTE_TYPES);
  const skipReason = (note: Note): NoteSkipReason | undefined => {
    if (!copiedTypes.has(note.type ?? '')) return 'type-not-copied';
    if (note.visibility === 'admin_only_visible' || note.visibility === 'admin_only') {
      if (!policy.includeAdminOnly) return 'admin-only';
    }
    if (note.application_id != null && policy.excludedApplicationIds?.has(note.application_id)) return 'application-excluded';
    if (!note.body?.trim()) return 'empty-body';
    if (!policy.includeAiNotes && isAiNote(note.body)) return 'ai-generated';
    return undefined;
  };
  const copy: MappedNote[] = [];
  const skipped: { noteId: number; reason: NoteSkipReason }[] = [];
  for (const note of [...notes].sort(byCreation)) {
    const reason = skipReason(note);
    if (reason) skipped.push({ noteId: note.id, reason });
    else copy.push({ noteId: note.id, write: mapNote(note, note.user_id != null ? authorsByUserId.get(note.user_id) : undefined) });
  }
  return { copy, skipped };
}

function byCreation(a: Note, b: Note): number {
  const at = a.created_at ?? '';
  const bt = b.created_at ?? '';
  return at < bt ? -1 : at > bt ? 1 : a.id - b.id;
}

/** `YYYY-MM-DD` of an ISO timestamp as written (no time-zone conversion, no clock). */
function isoDate(value: string | null | undefined): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(value ?? '');
  return match?.[1];
}

import { describe, expect, it } from 'vitest';
import { mapNote, selectNotes, type NotePolicy, type NoteSkipReason } from '#core/mapping/notes';
import type { Note } from '#core/greenhouse/records';
import { note } from './fixtures.ts';

const AUTHORS = new Map([
  [301, { name: 'Ines Okafor', beameryUserId: 'bu-ines' }],
  [302, { name: 'Tomas Lindqvist' }],
]);

interface Row {
  readonly rule: string;
  readonly given: Note;
  readonly policy?: NotePolicy;
  readonly expected: 'copy' | NoteSkipReason;
}

const WHICH_NOTES: readonly Row[] = [
  { rule: 'a Greenhouse note (NOTE) is synced to Beamery', given: note({ id: 1 }), expected: 'copy' },
  { rule: 'a LinkedIn note (LINKEDIN_NOTE) is synced to Beamery', given: note({ id: 2, type: 'LINKEDIN_NOTE' }), expected: 'copy' },
  { rule: 'emails are correspondence, not notes: not synced', given: note({ id: 3, type: 'EMAIL', subject: 'Next steps' }), expected: 'type-not-copied' },
  { rule: 'system activity is not a note: not synced', given: note({ id: 4, type: 'ACTIVITY', body: 'Moved to Onsite' }), expected: 'type-not-copied' },
  { rule: 'interview feedback stays with the hiring team in Greenhouse', given: note({ id: 5, type: 'FEEDBACK' }), expected: 'type-not-copied' },
  { rule: 'the note types are configurable', given: note({ id: 6, type: 'EMAIL' }), policy: { copiedTypes: ['NOTE', 'EMAIL'] }, expected: 'copy' },
  { rule: 'private Greenhouse notes are synced (kept private)', given: note({ id: 7, visibility: 'privately_visible' }), expected: 'copy' },
  { rule: 'admin-only Greenhouse notes stay in Greenhouse', given: note({ id: 8, visibility: 'admin_only_visible' }), expected: 'admin-only' },
  { rule: 'admin-only notes are synced when configured', given: note({ id: 9, visibility: 'admin_only_visible' }), policy: { includeAdminOnly: true }, expected: 'copy' },
  { rule: 'an empty note is not synced', given: note({ id: 10, body: '  ' }), expected: 'empty-body' },
  { rule: "the bridge's AI screening note stays in Greenhouse", given: note({ id: 12, visibility: 'privately_visible', body: 'AI resume screening for Backend Engineer: 72/100 · advisory, not a decision' }), expected: 'ai-generated' },
  { rule: "the bridge's AI notes are copied when SYNC_COPY_AI_NOTES is set", given: note({ id: 14, body: 'AI resume screening for Backend Engineer: 72/100 · advisory, not a decision' }), policy: { includeAiNotes: true }, expected: 'copy' },
  { rule: "the bridge's AI feedback synthesis stays in Greenhouse", given: note({ id: 13, body: 'AI feedback synthesis — Onsite (3 scorecards) · advisory, not a decision' }), expected: 'ai-generated' },
  { rule: 'a person writing about AI screening is synced', given: note({ id: 14, body: 'Discussed the AI resume screening for this role with the hiring manager' }), expected: 'copy' },
  {
    rule: 'a note on an application left out of the sync stays in Greenhouse',
    given: note({ id: 11, application_id: 5002 }),
    policy: { excludedApplicationIds: new Set([5002]) },
    expected: 'application-excluded',
  },
];

describe('Notes: which Greenhouse notes are synced to Beamery', () => {
  for (const { rule, given, policy, expected } of WHICH_NOTES) {
    it(rule, () => {
      const selection = selectNotes([given], AUTHORS, policy);
      if (expected === 'copy') expect(selection.copy.map((n) => n.noteId)).toEqual([given.id]);
      else expect(selection.skipped).toEqual([{ noteId: given.id, reason: expected }]);
    });
  }
});

describe('Notes: how they are written', () => {
  it('The integration automatically keeps all notes as private when syncing from Greenhouse to Beamery', () => {
    const notes = [note({ id: 1, visibility: 'publicly_visible' }), note({ id: 2, visibility: 'privately_visible' })];
    expect(selectNotes(notes, AUTHORS).copy.map((n) => n.write.isPrivate)).toEqual([true, true]);
  });

  it("the note names its author and keeps the original date", () => {
    expect(mapNote(note({ id: 1 }), AUTHORS.get(301))).toEqual({
      text: 'Greenhouse note by Ines Okafor, 2026-09-14\n\nStrong on streaming pipelines; open to relocating.',
      isPrivate: true,
      authorUserId: 'bu-ines',
      occurredAt: '2026-09-14T15:20:00Z',
    });
  });

  it('an author Beamery does not know is named in the text only', () => {
    expect(mapNote(note({ id: 1, user_id: 302 }), AUTHORS.get(302))).not.toHaveProperty('authorUserId');
  });

  it('an unknown author and a subject', () => {
    expect(mapNote(note({ id: 1, user_id: null, subject: 'Call summary' })).text).toBe(
      'Greenhouse note, 2026-09-14\n\nCall summary\n\nStrong on streaming pipelines; open to relocating.',
    );
  });

  it('notes are copied in the order Greenhouse wrote them, each with its note id for the once-only mark', () => {
    const selection = selectNotes(
      [note({ id: 3, created_at: '2026-09-15T08:00:00Z' }), note({ id: 9, created_at: '2026-09-14T08:00:00Z' }), note({ id: 4, created_at: '2026-09-15T08:00:00Z' })],
      AUTHORS,
    );
    expect(selection.copy.map((n) => n.noteId)).toEqual([9, 3, 4]);
  });
});

import { describe, expect, it } from 'vitest';
import { copyNotesOnce, type NoteCopyTarget } from '#core/sync/note-copy';
import { InMemoryLedger } from '#adapters/store/in-memory';

/** At-least-once note copies with content-keyed dedupe, against an in-memory Ledger and target. */

class Crash extends Error {}

function target(options: { crashAfterWrite?: boolean; crashBeforeWrite?: boolean; unsupportedList?: boolean } = {}) {
  const notes: { id: string; text: string }[] = [];
  let crashes = { after: options.crashAfterWrite ?? false, before: options.crashBeforeWrite ?? false };
  const api: NoteCopyTarget<string> & { notes: typeof notes; lists: number } = {
    notes,
    lists: 0,
    async existing() {
      api.lists++;
      return options.unsupportedList ? 'unsupported' : [...notes];
    },
    async create(text) {
      if (crashes.before) {
        crashes = { ...crashes, before: false };
        throw new Crash('died before the write');
      }
      notes.push({ id: `n${notes.length + 1}`, text });
      if (crashes.after) {
        crashes = { ...crashes, after: false };
        throw new Crash('died after the write, before the mark');
      }
      return { id: `n${notes.length}` };
    },
  };
  return api;
}

const run = (ledger: InMemoryLedger, t: ReturnType<typeof target>, texts: string[]) =>
  copyNotesOnce({ ledger, key: 'greenhouse#candidate#1', target: t, notes: texts.map((text, i) => ({ sourceId: String(i + 1), text, write: text })) });

describe('copyNotesOnce', () => {
  it('a crash before the write loses nothing: the retry copies the note', async () => {
    const ledger = new InMemoryLedger();
    const t = target({ crashBeforeWrite: true });
    await expect(run(ledger, t, ['Met at the meetup.'])).rejects.toBeInstanceOf(Crash);
    expect(await run(ledger, t, ['Met at the meetup.'])).toBe(1);
    expect(t.notes.map((n) => n.text)).toEqual(['Met at the meetup.']);
  });

  it('a crash after the write never duplicates: the retry finds the copy by its content and only marks it', async () => {
    const ledger = new InMemoryLedger();
    const t = target({ crashAfterWrite: true });
    await expect(run(ledger, t, ['Met at the meetup.', 'Second note.'])).rejects.toBeInstanceOf(Crash);
    expect(await run(ledger, t, ['Met at the meetup.', 'Second note.'])).toBe(1);
    expect(t.notes.map((n) => n.text)).toEqual(['Met at the meetup.', 'Second note.']);
    expect(await ledger.isCopied('greenhouse#candidate#1', 'note', '1')).toBe(true);
  });

  it('reads the target only while some note lacks its mark, and keeps a copy the user deleted deleted', async () => {
    const ledger = new InMemoryLedger();
    const t = target();
    await run(ledger, t, ['One.']);
    t.notes.splice(0);
    const lists = t.lists;
    expect(await run(ledger, t, ['One.'])).toBe(0);
    expect(t.lists).toBe(lists);
    expect(t.notes).toEqual([]);
  });

  it('two notes with the same text in one run are both copied once', async () => {
    const ledger = new InMemoryLedger();
    const t = target();
    expect(await run(ledger, t, ['Same.', 'Same.'])).toBe(1);
    expect(await run(ledger, t, ['Same.', 'Same.'])).toBe(0);
    expect(t.notes).toHaveLength(1);
  });

  it('writes without the check where the target cannot list its notes', async () => {
    const ledger = new InMemoryLedger();
    const t = target({ unsupportedList: true });
    expect(await run(ledger, t, ['One.'])).toBe(1);
    expect(await run(ledger, t, ['One.'])).toBe(0);
  });
});

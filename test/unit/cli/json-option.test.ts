import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { program } from '../../../bin/bridge.ts';

/** Every operator command prints text for a person by default and one JSON document with --json. */
describe('bridge --json', () => {
  const leaves = (command: Command, path: string[] = []): [string, Command][] =>
    command.commands.flatMap((sub) => (sub.commands.length > 0 ? leaves(sub, [...path, sub.name()]) : [[[...path, sub.name()].join(' '), sub] as [string, Command]]));

  it('is an option of every command', () => {
    const all = leaves(program());
    expect(all.map(([name]) => name)).toEqual(expect.arrayContaining(['backfill', 'push', 'status', 'dlq redrive']));
    expect(all.filter(([, command]) => !command.options.some((o) => o.long === '--json')).map(([name]) => name)).toEqual([]);
  });
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** `--json <path>`: the whole report as JSON, its folder made if missing, and a line saying where. */
export function writeJsonReport(path: string, report: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nFull report written to ${path}`);
}

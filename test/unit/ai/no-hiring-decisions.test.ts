import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GreenhouseClient } from '#adapters/greenhouse/client';

/**
 * AI output is advice: the bridge never moves, rejects or advances (docs/ai-governance.md). Asserted on
 * the code itself, so it holds for paths no end-to-end scenario walks: the Greenhouse client has no
 * method that makes a hiring decision, and no deployed source (lambdas/, bin/) names a decision
 * endpoint of Harvest v3
 * (`POST /v3/applications/{id}/move|reject|unreject|hire|unhire|convert_to_candidate`, v1's `advance`).
 * test/e2e/ai-workflows.test.ts checks the same on the simulator's request log.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** A method name's words (camelCase split): `removeEmailAddress` is remove + email + address, not "move". */
const words = (name: string) => name.split(/(?=[A-Z])/).map((w) => w.toLowerCase());
const DECISION_WORDS = new Set(['move', 'reject', 'unreject', 'hire', 'unhire', 'advance', 'convert']);
const DECISION_ENDPOINT = /\/(?:move|reject|unreject|hire|unhire|advance|convert_to_candidate)\b/;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('no code path makes a hiring decision', () => {
  it('the Greenhouse client has no method that moves, rejects, hires, advances or converts', () => {
    const methods = Object.getOwnPropertyNames(GreenhouseClient.prototype).filter((name) => name !== 'constructor');
    expect(methods.length).toBeGreaterThan(20);
    expect(methods.filter((name) => words(name).some((w) => DECISION_WORDS.has(w)))).toEqual([]);
    expect(words('moveApplication').some((w) => DECISION_WORDS.has(w))).toBe(true);
  });

  it('no deployed source names a decision endpoint', () => {
    const files = [...sources('lambdas'), ...sources('bin')];
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (DECISION_ENDPOINT.test(line.replace(/\/\/.*$|^\s*\*.*$/, '')) ? [`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
  });

  it('the scan would find one: a line that posts to a move endpoint is caught', () => {
    expect(DECISION_ENDPOINT.test("this.write('POST', `/v3/applications/${id}/move`, schema, body)")).toBe(true);
    expect(DECISION_ENDPOINT.test("this.write('POST', `/v3/applications/${id}/reject`, schema, body)")).toBe(true);
    expect(DECISION_ENDPOINT.test("this.write('PATCH', `/v3/applications/${id}`, schema, body)")).toBe(false);
  });
});
